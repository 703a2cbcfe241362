import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { DatabaseTarget } from '../../db/client';
import { testDatabaseUrl, testPostgresUrl } from '../../server/env';
import { templateDir, testDataRoot } from './paths';

/**
 * A fresh, migrated database for one test file: a copy of the migrated PGlite template, or, when
 * TEST_DATABASE_URL is set, a new PostgreSQL database on that server (migrated when the server opens it).
 */
export async function freshDatabase(
  options: { postgres?: boolean } = {},
): Promise<{ target: DatabaseTarget; dataDir: string; drop: () => Promise<void> }> {
  const dataDir = mkdtempSync(path.join(testDataRoot, 'run-'));
  const url = options.postgres ? testPostgresUrl() : testDatabaseUrl();
  if (!url) {
    const pgliteDir = path.join(dataDir, 'pglite');
    cpSync(templateDir, pgliteDir, { recursive: true });
    return { target: { kind: 'pglite', dataDir: pgliteDir }, dataDir, drop: async () => {} };
  }
  const name = `stukwerk_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  return {
    target: { kind: 'postgres', url: dbUrl.toString(), poolSize: 5 },
    dataDir,
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
