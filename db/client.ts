import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { PgliteThread } from './pglite-thread';
import * as schema from './schema';

export type Schema = typeof schema;
/** The one database type the rest of the code sees, whether PGlite or PostgreSQL is underneath. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction has the same query API as the database; functions that write take either. */
export type Executor = Pick<Database, 'select' | 'insert' | 'update' | 'delete' | 'execute' | 'query'>;

export type DatabaseTarget = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string; poolSize?: number };

export interface DatabaseHandle {
  db: Database;
  target: DatabaseTarget;
  close(): Promise<void>;
}

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Opens the database and applies every pending migration: the same migrations run on PGlite and PostgreSQL. */
export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === 'pglite') {
    mkdirSync(target.dataDir, { recursive: true });
    const releaseLock = lockDataDir(target.dataDir);
    try {
      // PGlite runs in a worker thread (db/pglite-thread.ts): its synchronous work never stalls the event loop.
      const client = await PgliteThread.open(target.dataDir);
      const db = drizzlePglite({ client: client as unknown as PGlite, schema });
      await migratePglite(db, { migrationsFolder });
      return {
        db: db as unknown as Database,
        target,
        close: async () => {
          await client.close();
          releaseLock();
        },
      };
    } catch (err) {
      releaseLock();
      throw err;
    }
  }
  // Without a connect timeout a request waits for ever on a database that does not answer (default: no limit).
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
  });
  // An idle client's connection error must not crash the process; the next query reports it.
  pool.on('error', (err) => console.error('[db] idle PostgreSQL client error:', err.message));
  // A checked-out client whose connection dies between two statements emits 'error' itself; without a listener that
  // is an uncaught exception that ends the process. The statement in flight fails on its own and reports it.
  pool.on('connect', (client) =>
    client.on('error', (err) => console.error('[db] PostgreSQL client error:', err.message)),
  );
  const db = drizzlePg(pool, { schema });
  await migratePg(db, { migrationsFolder });
  return { db: db as unknown as Database, target, close: () => endPool(pool) };
}

export class DatabaseBusyError extends Error {
  override name = 'DatabaseBusyError';
}

/**
 * PGlite serves one process at a time; a second process opening the same directory could corrupt it. A lock file
 * beside the data directory holds the owner's pid; a lock whose process is gone is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = `${dataDir.replace(/\/$/, '')}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => rmSync(lockFile, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(lockFile, 'utf8').trim());
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new DatabaseBusyError(
          `the embedded database in ${dataDir} is in use by another Stukwerk process (pid ${pid}); stop it first, or use PostgreSQL (DATABASE_URL)`,
        );
      }
      rmSync(lockFile, { force: true }); // stale: its process is gone
    }
  }
  throw new DatabaseBusyError(`could not lock ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Ends the pool, but does not wait for ever: a client whose connection died mid-transaction during an outage may
 * never be released, and a shutdown must not hang on a database that is gone (what could be written was written).
 */
async function endPool(pool: pg.Pool, waitMs = 5_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.error(`[db] PostgreSQL pool did not end within ${waitMs} ms; going on`);
      resolve();
    }, waitMs);
  });
  await Promise.race([pool.end(), gaveUp]);
  clearTimeout(timer);
}
