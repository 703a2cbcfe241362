import { relations, sql } from 'drizzle-orm';
import { boolean, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { documentMembers } from './documents';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Always stored lower-cased; the unique index makes e-mail comparison case-insensitive. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    /** The municipality or organisation, shown beside the name (e.g. "Gemeente Enschede"). */
    organisation: text('organisation'),
    /** scrypt hash in the form `scrypt$N$r$p$salt$hash`; null for users who only sign in through OpenID Connect. */
    passwordHash: text('password_hash'),
    isAdmin: boolean('is_admin').notNull().default(false),
    /** The language of the interface, e-mails and exports for this person: 'nl' (default) or 'en'. */
    locale: text('locale').notNull().default('nl'),
    /** A deactivated user's sessions stop working at once: every request re-reads this column. */
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
    /**
     * Carried in every session JWT (`sv`) when it is issued; a session whose version differs is refused. Sign-out and
     * deactivation raise it, which ends every session of this person at once (server/auth/session.ts).
     */
    sessionVersion: integer('session_version').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_email_unique').on(sql`lower(${t.email})`)],
);

/** Failed sign-ins per e-mail address, also for addresses without an account (no user enumeration). */
export const signInThrottle = pgTable('sign_in_throttle', {
  email: text('email').primaryKey(),
  failures: integer('failures').notNull().default(0),
  windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
});

export const usersRelations = relations(users, ({ many }) => ({ memberships: many(documentMembers) }));

export type User = typeof users.$inferSelect;
