import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { openDatabase, migrationsFolder } from '../../db/client';
import { chromiumPath } from './browser';
import { templateDir, testDataRoot } from './paths';

/**
 * Runs once before all test files: fails loudly when something the tests need is missing, and migrates one
 * PGlite database that every test file copies (PGlite's first open runs initdb, 1–6 s here).
 */
export default async function setup() {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is missing at ${chromiumPath}: install it with "apt-get install -y chromium" (the browser tests need it)`,
    );
  }
  if (!existsSync('/usr/bin/pdftotext') || !existsSync('/usr/bin/pdfinfo')) {
    throw new Error(
      'pdftotext/pdfinfo are missing: install them with "apt-get install -y poppler-utils" (the export tests read PDFs back)',
    );
  }
  if (!existsSync(path.join(process.cwd(), '.next', 'BUILD_ID'))) {
    throw new Error('The Next.js app is not built: run the tests with "npm test", which builds it first');
  }
  rmSync(testDataRoot, { recursive: true, force: true });
  mkdirSync(testDataRoot, { recursive: true });
  const handle = await openDatabase({ kind: 'pglite', dataDir: templateDir });
  await handle.close();
  if (!readdirSync(migrationsFolder).some((f) => f.endsWith('.sql'))) throw new Error('no migrations found');
  return () => rmSync(testDataRoot, { recursive: true, force: true });
}
