import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { defaultLocale, isLocale, locales, type Locale } from '../../common/i18n';
import type { Database } from '../../db/client';
import { users, type User } from '../../db/schema';
import { recordAudit } from '../audit/audit';
import { hashPassword, minPasswordLength } from '../auth/password';
import { AppError } from '../errors';
import { emailSchema } from './schemas';

export const newUserSchema = z.object({
  email: emailSchema,
  name: z.string().trim().min(1, 'name is required').max(200),
  password: z.string().min(minPasswordLength, `password must be at least ${minPasswordLength} characters`).max(1024),
  organisation: z.string().trim().min(1).max(200).optional(),
  isAdmin: z.boolean().default(false),
});
export type NewUser = z.input<typeof newUserSchema>;

/** What a session or a page may know of a person: never the password hash. */
export type PublicUser = Pick<User, 'id' | 'email' | 'name' | 'organisation' | 'isAdmin' | 'locale'>;
export const publicUserColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  organisation: users.organisation,
  isAdmin: users.isAdmin,
  locale: users.locale,
};

export async function createUser(db: Database, input: NewUser, actorId: string | null = null): Promise<PublicUser> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError('invalid:user', parsed.error.issues[0]?.message ?? 'invalid user');
  }
  const { email, name, password, organisation, isAdmin } = parsed.data;
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.email}) = ${email}`);
    if (existing) throw new AppError('conflict:user_email', `e-mail address already exists: ${email}`);
    const [user] = await tx
      .insert(users)
      .values({ email, name, passwordHash, organisation: organisation ?? null, isAdmin })
      .returning(publicUserColumns);
    await recordAudit(tx, { actorId, action: 'user.created', details: { userId: user!.id, email } });
    return user!;
  });
}

export async function findUserByEmail(db: Database, email: string): Promise<User | undefined> {
  const [user] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`);
  return user;
}

/** The active (not deactivated) user with this id: called on every request, so a deactivation works at once. */
export async function getActiveUser(db: Database, id: string): Promise<PublicUser | undefined> {
  if (!z.uuid().safeParse(id).success) return undefined;
  const [user] = await db
    .select(publicUserColumns)
    .from(users)
    .where(and(eq(users.id, id), isNull(users.deactivatedAt)));
  return user;
}

/** The active user with this id, if the session was issued at their current session version (see `endSessions`). */
export async function getSessionUser(
  db: Database,
  id: string,
  sessionVersion: number,
): Promise<PublicUser | undefined> {
  if (!z.uuid().safeParse(id).success || !Number.isSafeInteger(sessionVersion)) return undefined;
  const [user] = await db
    .select(publicUserColumns)
    .from(users)
    .where(and(eq(users.id, id), isNull(users.deactivatedAt), eq(users.sessionVersion, sessionVersion)));
  return user;
}

/** The version a session issued now carries; `undefined` for an unknown or deactivated user. */
export async function currentSessionVersion(db: Database, id: string): Promise<number | undefined> {
  if (!z.uuid().safeParse(id).success) return undefined;
  const [row] = await db
    .select({ v: users.sessionVersion })
    .from(users)
    .where(and(eq(users.id, id), isNull(users.deactivatedAt)));
  return row?.v;
}

/**
 * Sign-out: ends every session this person has, on every device. Sessions are stateless JWTs, so instead of
 * forgetting one token the user's version is raised and each check compares it (server/auth/session.ts). Only a
 * session that is still valid does this: an old, already ended cookie cannot be replayed to sign someone out again.
 */
export async function endSessions(db: Database, id: string, sessionVersion: number): Promise<void> {
  if (!z.uuid().safeParse(id).success) return;
  await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(and(eq(users.id, id), eq(users.sessionVersion, sessionVersion)));
}

/**
 * Deactivation ends the person's sessions too, in the same statement, so no check sees one without the other.
 * Shared by the CLI (actor `null`) and the administration page (server/admin); audited either way.
 */
export async function deactivateUser(db: Database, id: string, actorId: string | null = null): Promise<void> {
  await db.transaction(async (tx) => {
    const changed = await tx
      .update(users)
      .set({ deactivatedAt: new Date(), sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(and(eq(users.id, id), isNull(users.deactivatedAt)))
      .returning({ id: users.id });
    if (changed.length) await recordAudit(tx, { actorId, action: 'user.deactivated', details: { userId: id } });
  });
}

/** Gives a deactivated person access again; their old sessions stay ended (the version was raised). */
export async function reactivateUser(db: Database, id: string, actorId: string | null = null): Promise<void> {
  await db.transaction(async (tx) => {
    const changed = await tx
      .update(users)
      .set({ deactivatedAt: null })
      .where(and(eq(users.id, id), isNotNull(users.deactivatedAt)))
      .returning({ id: users.id });
    if (changed.length) await recordAudit(tx, { actorId, action: 'user.reactivated', details: { userId: id } });
  });
}

export const organisationSchema = z.string().trim().min(1).max(200).nullable();

/**
 * A person's organisation ("Gemeente Enschede"): one per person, a text on the user row. The list of organisations
 * is derived from these values (server/admin), so there is no second table to keep in step.
 */
export async function setOrganisation(
  db: Database,
  id: string,
  organisation: string | null,
  actorId: string | null = null,
): Promise<void> {
  const value = organisationSchema.parse(organisation);
  await db.transaction(async (tx) => {
    const [before] = await tx.select({ organisation: users.organisation }).from(users).where(eq(users.id, id));
    if (!before || before.organisation === value) return;
    await tx.update(users).set({ organisation: value }).where(eq(users.id, id));
    await recordAudit(tx, {
      actorId,
      action: 'user.updated',
      details: { userId: id, organisation: { from: before.organisation, to: value } },
    });
  });
}

/** Grants or revokes the administrator flag (whoever may do so is checked by the caller: CLI or server/admin). */
export async function setAdmin(db: Database, id: string, isAdmin: boolean, actorId: string | null = null) {
  await db.transaction(async (tx) => {
    const changed = await tx
      .update(users)
      .set({ isAdmin })
      .where(and(eq(users.id, id), eq(users.isAdmin, !isAdmin)))
      .returning({ id: users.id });
    if (changed.length)
      await recordAudit(tx, {
        actorId,
        action: isAdmin ? 'user.admin_granted' : 'user.admin_revoked',
        details: { userId: id },
      });
  });
}

export async function countUsers(db: Database): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return row?.n ?? 0;
}

/** The language a person reads the interface, their e-mails and exports in (the switch in the header). */
export const localeSchema = z.strictObject({
  locale: z.enum(locales, { message: 'locale must be one of: nl, en' }),
});

export async function setLocale(db: Database, id: string, input: z.infer<typeof localeSchema>): Promise<void> {
  await db.update(users).set({ locale: input.locale }).where(eq(users.id, id));
}

/** The language a person chose (Dutch for an unknown id): for mails, exports and messages sent on their behalf. */
export async function localeOfUser(db: Database, id: string): Promise<Locale> {
  const user = await getActiveUser(db, id);
  return isLocale(user?.locale) ? user.locale : defaultLocale;
}
