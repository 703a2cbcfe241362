import { roundPositions, roundStatuses } from '../../common/rounds';
import { relations, sql } from 'drizzle-orm';
import { index, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { documents } from './documents';
import { mailOutbox } from './mail';
import { users } from './users';

export const roundStatus = pgEnum('round_status', roundStatuses);
export const roundPosition = pgEnum('round_position', roundPositions);
/** `due`: the timer at the due date; `manual`: an editor or the chair; `ready`: the text was locked for the board. */
export const roundCloseReason = pgEnum('round_close_reason', ['due', 'manual', 'ready']);

/**
 * A consultation round on a document. At most one open round per document (a partial unique index, so two
 * editors opening at once cannot both succeed); closed rounds stay readable.
 */
export const rounds = pgTable(
  'rounds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    question: text('question').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    status: roundStatus('status').notNull().default('open'),
    openedBy: uuid('opened_by').references(() => users.id, { onDelete: 'set null' }),
    closedBy: uuid('closed_by').references(() => users.id, { onDelete: 'set null' }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedReason: roundCloseReason('closed_reason'),
    /** Set when the editors were told that every reviewer answered (once per round). */
    allAnsweredAt: timestamp('all_answered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('rounds_document_idx').on(t.documentId, t.createdAt),
    uniqueIndex('rounds_one_open_per_document')
      .on(t.documentId)
      .where(sql`${t.status} = 'open'`),
    index('rounds_open_due_idx')
      .on(t.dueAt)
      .where(sql`${t.status} = 'open'`),
    index('rounds_opened_by_idx').on(t.openedBy),
    index('rounds_closed_by_idx').on(t.closedBy),
  ],
);

/**
 * The (round, person) columns the per-person tables start with (a fresh set per table, as Drizzle needs); a row
 * goes with its round or its person.
 */
const roundPerson = () => ({
  roundId: uuid('round_id')
    .notNull()
    .references(() => rounds.id, { onDelete: 'cascade' }),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
});

/** A reviewer asked in a round, with their answer once given (changeable until the round closes). */
export const roundReviewers = pgTable(
  'round_reviewers',
  {
    ...roundPerson(),
    position: roundPosition('position'),
    remark: text('remark'),
    respondedAt: timestamp('responded_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.userId] }), index('round_reviewers_user_idx').on(t.userId)],
);

export const roundsRelations = relations(rounds, ({ one, many }) => ({
  document: one(documents, { fields: [rounds.documentId], references: [documents.id] }),
  opener: one(users, { fields: [rounds.openedBy], references: [users.id], relationName: 'round_opener' }),
  closer: one(users, { fields: [rounds.closedBy], references: [users.id], relationName: 'round_closer' }),
  reviewers: many(roundReviewers),
}));

export const roundReviewersRelations = relations(roundReviewers, ({ one }) => ({
  round: one(rounds, { fields: [roundReviewers.roundId], references: [rounds.id] }),
  user: one(users, { fields: [roundReviewers.userId], references: [users.id] }),
}));

export type Round = typeof rounds.$inferSelect;
export type RoundReviewer = typeof roundReviewers.$inferSelect;

/**
 * The consultation mails, one row per (round, person, kind), written in the transaction that queues the mail: the
 * primary key makes every kind go out once per person, also when the reminder timer runs in several processes at
 * the same moment (the second insert waits for the first and then finds the row).
 */
export const roundMailKinds = ['request', 'reminder_before', 'reminder_due_day', 'all_answered', 'closed'] as const;
export type RoundMailKind = (typeof roundMailKinds)[number];
export const roundMailKind = pgEnum('round_mail_kind', roundMailKinds);

export const roundMails = pgTable(
  'round_mails',
  {
    ...roundPerson(),
    kind: roundMailKind('kind').notNull(),
    /** The queued message (null once the outbox row is gone). */
    outboxId: uuid('outbox_id').references(() => mailOutbox.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.roundId, t.userId, t.kind] }),
    index('round_mails_user_idx').on(t.userId),
    index('round_mails_outbox_idx').on(t.outboxId),
  ],
);
