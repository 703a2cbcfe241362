import { defineConfig } from 'vitest/config';

/**
 * Three projects: `unit` (pure code: no build, no browser, no database; `npm run test:unit` in seconds),
 * `integration` (a real server on port 0 with its own migrated database per file) and `e2e` (real Chromium).
 * Only the last two need the Next.js build and the migrated database template of the global setup.
 */
const serverTests = {
  globalSetup: ['tests/helpers/global-setup.ts'],
  // Each file runs a real server with its own database in its own process.
  pool: 'forks' as const,
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  resolve: { alias: { '@': new URL('.', import.meta.url).pathname.replace(/\/$/, '') } },
  test: {
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'server/**/*.test.ts', 'common/**/*.test.ts', 'components/**/*.test.ts'],
          pool: 'threads',
          testTimeout: 30_000,
        },
      },
      { extends: true, test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], ...serverTests } },
      { extends: true, test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], ...serverTests } },
    ],
  },
});
