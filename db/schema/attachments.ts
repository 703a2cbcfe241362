import { bigint, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { documents } from './documents';
import { users } from './users';

/**
 * Bijlagen: files attached to a document. The bytes live outside the database (server/attachments/storage.ts),
 * content-addressed by `sha256`, so the same file attached twice is stored once; a row is the attachment.
 */
export const documentAttachments = pgTable(
  'document_attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    /** The file name as uploaded, cleaned (server/attachments/names.ts); shown and used for the download. */
    name: text('name').notNull(),
    /** The type found from the content (magic bytes), never the name or what the client claimed. */
    contentType: text('content_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    /** SHA-256 (hex) of the bytes: the storage key, and what the exports and a signed version list. */
    sha256: text('sha256').notNull(),
    uploadedBy: uuid('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('document_attachments_document_idx').on(t.documentId, t.createdAt),
    index('document_attachments_sha_idx').on(t.sha256),
  ],
);

export type DocumentAttachment = typeof documentAttachments.$inferSelect;
