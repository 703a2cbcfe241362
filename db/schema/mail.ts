import { relations } from 'drizzle-orm';
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { documents, memberRole } from './documents';
import { comments, commentThreads } from './comments';
import { users } from './users';

export const mailStatus = pgEnum('mail_status', ['queued', 'sending', 'sent', 'failed']);
export const mailPreference = pgEnum('mail_preference', ['immediate', 'daily', 'off']);
export const mailNotificationKind = pgEnum('mail_notification_kind', [
  'mention',
  'reply',
  'thread_resolved',
  'thread_reopened',
  'document_review',
  'document_signed_off',
]);

/**
 * The durable outbox: one row per message, inserted in the same transaction as the event that causes it. The
 * sender claims rows (`FOR UPDATE SKIP LOCKED`), sets them `sending` with a lease in `next_attempt_at`, and marks
 * them `sent` only after the SMTP server accepted; a lease that runs out (the process died mid-send) makes the row
 * claimable again. `message_id` is fixed at insert, so a rare resend after a crash is recognisable as the same mail.
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    messageId: text('message_id').notNull(),
    /** `invitation`, `notifications`, `digest`. */
    kind: text('kind').notNull(),
    recipient: text('recipient').notNull(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    documentId: uuid('document_id').references(() => documents.id, { onDelete: 'set null' }),
    subject: text('subject').notNull(),
    /** Erased once an invitation is sent: it holds the only plain copy of the token. */
    textBody: text('text_body'),
    htmlBody: text('html_body'),
    status: mailStatus('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    /** When `queued`: not before; when `sending`: the claim's lease ends. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** Short and without secrets (an SMTP reply code and line, never the URL with its password). */
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('mail_outbox_message_id_unique').on(t.messageId),
    index('mail_outbox_due_idx').on(t.status, t.nextAttemptAt),
    index('mail_outbox_user_idx').on(t.userId),
    index('mail_outbox_document_idx').on(t.documentId),
  ],
);

/**
 * What happened that a person should hear of by e-mail, written with the event. The sender's batcher turns due
 * rows into one outbox message per person and document ("immediate", after the batch window) or one digest per
 * person ("daily", 08:00 Europe/Amsterdam), and sets `outbox_id`; for "off" they are dropped.
 */
export const mailNotifications = pgTable(
  'mail_notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    kind: mailNotificationKind('kind').notNull(),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    threadId: uuid('thread_id').references(() => commentThreads.id, { onDelete: 'cascade' }),
    commentId: uuid('comment_id').references(() => comments.id, { onDelete: 'cascade' }),
    /** The text as it was at the event (a comment edited later does not change what was announced). */
    excerpt: text('excerpt'),
    outboxId: uuid('outbox_id').references(() => mailOutbox.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Seen in the in-app list (*Meldingen*), where every event but a mention (kept in `notifications`) is shown. */
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    index('mail_notifications_pending_idx').on(t.outboxId, t.createdAt),
    index('mail_notifications_user_idx').on(t.userId),
    index('mail_notifications_document_idx').on(t.documentId),
    index('mail_notifications_actor_idx').on(t.actorId),
    index('mail_notifications_thread_idx').on(t.threadId),
    index('mail_notifications_comment_idx').on(t.commentId),
  ],
);

/** A person's e-mail preference; no row means the default, `immediate`. */
export const mailPreferences = pgTable('mail_preferences', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  email: mailPreference('email').notNull().default('immediate'),
  updatedAt: timestamp('updated_at', { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
});

/**
 * An invitation of an address without an account. Only the SHA-256 of the token is stored; the token itself is
 * in the mail. Pending: neither accepted nor withdrawn, and `expires_at` in the future.
 */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: memberRole('role').notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set again by a resend, with a new token. */
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedBy: uuid('accepted_by').references(() => users.id, { onDelete: 'set null' }),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('invitations_token_hash_unique').on(t.tokenHash),
    index('invitations_document_idx').on(t.documentId, t.email),
    index('invitations_invited_by_idx').on(t.invitedBy, t.sentAt),
    index('invitations_accepted_by_idx').on(t.acceptedBy),
  ],
);

export const mailOutboxRelations = relations(mailOutbox, ({ one }) => ({
  user: one(users, { fields: [mailOutbox.userId], references: [users.id] }),
  document: one(documents, { fields: [mailOutbox.documentId], references: [documents.id] }),
}));

export const mailNotificationsRelations = relations(mailNotifications, ({ one }) => ({
  user: one(users, {
    fields: [mailNotifications.userId],
    references: [users.id],
    relationName: 'mail_notification_user',
  }),
  actor: one(users, {
    fields: [mailNotifications.actorId],
    references: [users.id],
    relationName: 'mail_notification_actor',
  }),
  document: one(documents, { fields: [mailNotifications.documentId], references: [documents.id] }),
  outbox: one(mailOutbox, { fields: [mailNotifications.outboxId], references: [mailOutbox.id] }),
}));

export const invitationsRelations = relations(invitations, ({ one }) => ({
  document: one(documents, { fields: [invitations.documentId], references: [documents.id] }),
  inviter: one(users, { fields: [invitations.invitedBy], references: [users.id] }),
}));

export type MailOutboxRow = typeof mailOutbox.$inferSelect;
export type MailNotification = typeof mailNotifications.$inferSelect;
export type MailNotificationKind = (typeof mailNotificationKind.enumValues)[number];
export type MailPreference = (typeof mailPreference.enumValues)[number];
export type Invitation = typeof invitations.$inferSelect;
