import { documentStatuses, memberRoles } from '../../common/policy';
import { relations, sql } from 'drizzle-orm';
import { index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';
import { tsvector } from './columns';

export const documentStatus = pgEnum('document_status', documentStatuses);
export const memberRole = pgEnum('member_role', memberRoles);
export const documentTemplate = pgEnum('document_template', ['voorstel', 'blank']);

export const documents = pgTable(
  'documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    template: documentTemplate('template').notNull(),
    status: documentStatus('status').notNull().default('draft'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Archived: read-only for everyone (like a signed-off text) and out of the default list; restorable. */
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    /** Soft-deleted: a 404 for everyone, restorable by an editor for 30 days (server/documents/lifecycle.ts). */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
    /**
     * The title for full-text search (Dutch, weight A), stored so that ranking a few thousand candidates does not
     * parse every title again per query (server/search/search.ts).
     */
    titleVector: tsvector('title_vector').generatedAlwaysAs(sql`setweight(to_tsvector('dutch', title), 'A')`),
  },
  (t) => [
    index('documents_created_by_idx').on(t.createdBy),
    index('documents_title_vector_idx').using('gin', t.titleVector),
  ],
);

export const documentMembers = pgTable(
  'document_members',
  {
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: memberRole('role').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('document_members_document_user_unique').on(t.documentId, t.userId),
    index('document_members_user_idx').on(t.userId),
  ],
);

export const documentsRelations = relations(documents, ({ one, many }) => ({
  creator: one(users, { fields: [documents.createdBy], references: [users.id] }),
  members: many(documentMembers),
}));

export const documentMembersRelations = relations(documentMembers, ({ one }) => ({
  document: one(documents, { fields: [documentMembers.documentId], references: [documents.id] }),
  user: one(users, { fields: [documentMembers.userId], references: [users.id] }),
}));

export type Document = typeof documents.$inferSelect;
export type DocumentMember = typeof documentMembers.$inferSelect;
export type DocumentStatus = (typeof documentStatus.enumValues)[number];
export type MemberRole = (typeof memberRole.enumValues)[number];
export type DocumentTemplate = (typeof documentTemplate.enumValues)[number];
