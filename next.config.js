import createNextIntlPlugin from 'next-intl/plugin';

// One language at a time, chosen per person (app/i18n-request.ts); the catalogues are in common/messages.
const withNextIntl = createNextIntlPlugin('./app/i18n-request.ts');

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Security headers (with the CSP nonce) are set per request in server/http/security.ts.
  poweredByHeader: false,
  reactStrictMode: true,
  // Native or WASM packages that must be loaded by Node, not bundled.
  serverExternalPackages: ['@electric-sql/pglite', 'pg', 'ws'],
  typescript: { tsconfigPath: 'tsconfig.json' },
};

export default withNextIntl(nextConfig);
