import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Security headers for every HTTP response. The Content-Security-Policy allows scripts only with a per-request
 * nonce: Next.js reads the nonce from the request's `content-security-policy` header and puts it on its own
 * script tags, so no inline script without it runs. Styles allow 'unsafe-inline' because React and ProseMirror
 * set style attributes; styles cannot run code.
 */
export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    `default-src 'self'`,
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? ` 'unsafe-eval'` : ''}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `font-src 'self' data:`,
    `connect-src 'self' ws: wss:`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
  ].join('; ');
}

/**
 * With an https PUBLIC_URL the browser is told to use https only, for a year, on subdomains too: a first visit
 * over plain http (a typed address, an old link) is then never made again. Not on http: the header would be
 * ignored there, and it would lock out a site that is not (yet) served over https.
 */
export const strictTransportSecurity = 'max-age=31536000; includeSubDomains';

export function applySecurityHeaders(
  req: IncomingMessage,
  res: ServerResponse,
  dev: boolean,
  publicUrl?: string,
): void {
  const nonce = randomBytes(16).toString('base64');
  const csp = contentSecurityPolicy(nonce, dev);
  req.headers['content-security-policy'] = csp; // for Next.js to find the nonce
  delete req.headers['content-security-policy-report-only'];
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  if (publicUrl?.toLowerCase().startsWith('https://'))
    res.setHeader('Strict-Transport-Security', strictTransportSecurity);
}
