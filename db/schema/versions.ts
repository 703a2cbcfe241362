import { relations } from 'drizzle-orm';
import { index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bytea } from './content';
import { documents } from './documents';
import { users } from './users';

/** One attachment as a signed version records (and hashes) it. */
export interface AttachmentManifestEntry {
  name: string;
  size: number;
  sha256: string;
}

/** auto: after a pause or a stretch of editing; named: by an editor; signed: the chair's sign-off; restore: before a restore. */
export const versionKind = pgEnum('version_kind', ['auto', 'named', 'signed', 'restore']);

/**
 * Immutable versions of a document's content. The app inserts and reads them, never updates or deletes them:
 * reopening a signed-off document leaves its signed version here.
 */
export const documentVersions = pgTable(
  'document_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    kind: versionKind('kind').notNull(),
    name: text('name'),
    /** The full Yjs state at that moment. */
    state: bytea('state').notNull(),
    /** The rendered document: canonical ProseMirror JSON (keys sorted), as hashed for a signed version. */
    json: jsonb('json').notNull(),
    text: text('text').notNull(),
    /**
     * SHA-256 (hex) of the canonical JSON; set on every version, the one that matters is the signed one's. A signed
     * version with attachments hashes `{attachments, document}` instead (server/versions/canonical.ts `signedHash`).
     */
    sha256: text('sha256').notNull(),
    /** The attachments frozen with a signed version: `[{name, size, sha256}]` in upload order (empty otherwise). */
    attachments: jsonb('attachments').$type<AttachmentManifestEntry[]>().notNull().default([]),
    /** Who changed the text since the previous version (user ids). */
    authors: jsonb('authors').$type<string[]>().notNull().default([]),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('document_versions_document_idx').on(t.documentId, t.createdAt),
    index('document_versions_created_by_idx').on(t.createdBy),
  ],
);

export const documentVersionsRelations = relations(documentVersions, ({ one }) => ({
  document: one(documents, { fields: [documentVersions.documentId], references: [documents.id] }),
  creator: one(users, { fields: [documentVersions.createdBy], references: [users.id] }),
}));

export type DocumentVersion = typeof documentVersions.$inferSelect;
export type VersionKind = (typeof versionKind.enumValues)[number];
