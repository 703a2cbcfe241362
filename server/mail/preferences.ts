import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client';
import { mailPreferences, type MailPreference } from '../../db/schema';
import { bindDeps } from '../wiring';

/** A person's choice of e-mail: `immediate` (batched per document), `daily` (digest at 08:00) or `off`. */
export const preferencesSchema = z.strictObject({
  email: z.enum(['immediate', 'daily', 'off'], {
    message: 'email must be immediate, daily or off',
  }),
});
export type Preferences = z.infer<typeof preferencesSchema>;

export const defaultPreferences: Preferences = { email: 'immediate' };

export async function getPreferences(db: Database, userId: string): Promise<Preferences> {
  const [row] = await db
    .select({ email: mailPreferences.email })
    .from(mailPreferences)
    .where(eq(mailPreferences.userId, userId));
  return row ? { email: row.email } : defaultPreferences;
}

export async function setPreferences(
  db: Database,
  userId: string,
  input: { email: MailPreference },
): Promise<Preferences> {
  await db
    .insert(mailPreferences)
    .values({ userId, email: input.email })
    .onConflictDoUpdate({ target: mailPreferences.userId, set: { email: input.email, updatedAt: new Date() } });
  return { email: input.email };
}

/** E-mail preferences of one server's people: `createPreferences({ db }).set(userId, {email: "daily"})`. */
export const createPreferences = ({ db }: { db: Database }) =>
  bindDeps(db, { get: getPreferences, set: setPreferences });
