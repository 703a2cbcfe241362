import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { signInThrottle } from '../../db/schema';

/**
 * Failed sign-ins are counted per e-mail address in the database (so every process sees them): after
 * `maxFailures` failures within `window`, the address is refused for `lockout`, even with the right password.
 */
export const throttleDefaults = { maxFailures: 5, windowMs: 15 * 60_000, lockoutMs: 15 * 60_000 };

export async function isLockedOut(db: Database, email: string, now = new Date()): Promise<boolean> {
  const [row] = await db.select().from(signInThrottle).where(eq(signInThrottle.email, email));
  return !!row?.lockedUntil && row.lockedUntil > now;
}

export async function recordFailure(db: Database, email: string, now = new Date(), opts = throttleDefaults) {
  const windowStart = new Date(now.getTime() - opts.windowMs);
  const lockUntil = new Date(now.getTime() + opts.lockoutMs);
  // One statement, so concurrent failures cannot both read the old count.
  await db
    .insert(signInThrottle)
    .values({ email, failures: 1, windowStartedAt: now })
    .onConflictDoUpdate({
      target: signInThrottle.email,
      set: {
        failures: sql`case when ${signInThrottle.windowStartedAt} < ${windowStart} then 1 else ${signInThrottle.failures} + 1 end`,
        windowStartedAt: sql`case when ${signInThrottle.windowStartedAt} < ${windowStart} then ${now} else ${signInThrottle.windowStartedAt} end`,
        lockedUntil: sql`case when ${signInThrottle.windowStartedAt} >= ${windowStart} and ${signInThrottle.failures} + 1 >= ${opts.maxFailures} then ${lockUntil} else ${signInThrottle.lockedUntil} end`,
      },
    });
}

export async function clearFailures(db: Database, email: string) {
  await db.delete(signInThrottle).where(eq(signInThrottle.email, email));
}
