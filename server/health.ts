import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';

/** How long `/api/health` waits for the database before calling it unavailable: well under a load balancer's probe timeout. */
export const healthTimeoutMs = 2_000;

/**
 * Whether the database answers `select 1` within `timeoutMs`. Never throws: a failure is logged (with its cause,
 * for the operator) and reported as `false`, which `/api/health` turns into 503.
 */
export async function databaseAnswers(db: Database, timeoutMs = healthTimeoutMs): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([db.execute(sql`select 1`), timeout]);
    return true;
  } catch (err) {
    console.error('[health] database check failed', err);
    return false;
  } finally {
    clearTimeout(timer);
  }
}
