import { relations, sql } from 'drizzle-orm';
import { index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bytea } from './content';
import { documents } from './documents';
import { users } from './users';

export const commentThreadStatus = pgEnum('comment_thread_status', ['open', 'resolved']);
export const notificationKind = pgEnum('notification_kind', ['mention']);

/**
 * A comment thread anchored to a passage. Comments are never written into the Yjs document (commenters may not
 * write it); the anchor is a pair of Yjs relative positions (`Y.encodeRelativePosition`) into the
 * `default` fragment, which follow the passage through concurrent edits. `quote` keeps the passage's text at the
 * time of commenting, shown when the passage has since been deleted (a detached thread).
 */
export const commentThreads = pgTable(
  'comment_threads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    /** Sticks to the passage's first character (assoc 0). */
    anchorStart: bytea('anchor_start').notNull(),
    /** Sticks to the passage's last character (assoc -1), so text typed right after it stays outside. */
    anchorEnd: bytea('anchor_end').notNull(),
    quote: text('quote').notNull(),
    /**
     * Set when the thread discusses a suggestion (the id of its `suggestionInsert` / `suggestionDelete` marks): the
     * suggestion's card shows it. The suggestion lives in the document, so this is no foreign key.
     */
    suggestionId: text('suggestion_id'),
    status: commentThreadStatus('status').notNull().default('open'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    resolvedBy: uuid('resolved_by').references(() => users.id, { onDelete: 'set null' }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    index('comment_threads_document_idx').on(t.documentId, t.createdAt),
    index('comment_threads_suggestion_idx').on(t.documentId, t.suggestionId),
    index('comment_threads_created_by_idx').on(t.createdBy),
    index('comment_threads_resolved_by_idx').on(t.resolvedBy),
  ],
);

/** One message in a thread: plain text (mentions are stored as member ids beside it); deletion keeps the row. */
export const comments = pgTable(
  'comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    threadId: uuid('thread_id')
      .notNull()
      .references(() => commentThreads.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    /** Emptied when the comment is deleted. */
    body: text('body').notNull(),
    mentions: jsonb('mentions').$type<string[]>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    editedAt: timestamp('edited_at', { withTimezone: true }),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    index('comments_thread_idx').on(t.threadId, t.createdAt),
    index('comments_author_idx').on(t.authorId),
    // Full-text search over comments (server/search/search.ts matches exactly this expression).
    index('comments_search_idx').using('gin', sql`to_tsvector('dutch', ${t.body})`),
  ],
);

/** In-app notifications (today: being mentioned in a comment). */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    threadId: uuid('thread_id')
      .notNull()
      .references(() => commentThreads.id, { onDelete: 'cascade' }),
    commentId: uuid('comment_id')
      .notNull()
      .references(() => comments.id, { onDelete: 'cascade' }),
    kind: notificationKind('kind').notNull().default('mention'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.createdAt),
    index('notifications_document_idx').on(t.documentId),
    index('notifications_thread_idx').on(t.threadId),
    index('notifications_comment_idx').on(t.commentId),
  ],
);

export const commentThreadsRelations = relations(commentThreads, ({ one, many }) => ({
  document: one(documents, { fields: [commentThreads.documentId], references: [documents.id] }),
  creator: one(users, { fields: [commentThreads.createdBy], references: [users.id], relationName: 'thread_creator' }),
  resolver: one(users, {
    fields: [commentThreads.resolvedBy],
    references: [users.id],
    relationName: 'thread_resolver',
  }),
  comments: many(comments),
}));

export const commentsRelations = relations(comments, ({ one }) => ({
  thread: one(commentThreads, { fields: [comments.threadId], references: [commentThreads.id] }),
  author: one(users, { fields: [comments.authorId], references: [users.id] }),
}));

export const notificationsRelations = relations(notifications, ({ one }) => ({
  user: one(users, { fields: [notifications.userId], references: [users.id] }),
  document: one(documents, { fields: [notifications.documentId], references: [documents.id] }),
  thread: one(commentThreads, { fields: [notifications.threadId], references: [commentThreads.id] }),
  comment: one(comments, { fields: [notifications.commentId], references: [comments.id] }),
}));

export type CommentThread = typeof commentThreads.$inferSelect;
export type Comment = typeof comments.$inferSelect;
export type Notification = typeof notifications.$inferSelect;
export type CommentThreadStatus = (typeof commentThreadStatus.enumValues)[number];
