import { bigint, bigserial, customType, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { documents } from './documents';

/** Raw bytes: PGlite hands back a Uint8Array, node-postgres a Buffer (also a Uint8Array). */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

/**
 * The compacted Yjs state of a document, with the ProseMirror JSON and plain text derived from it
 * (for listing, export and search). Written in one transaction with the deletion of the log rows it absorbed.
 */
export const documentSnapshots = pgTable('document_snapshots', {
  documentId: uuid('document_id')
    .primaryKey()
    .references(() => documents.id, { onDelete: 'cascade' }),
  state: bytea('state').notNull(),
  json: jsonb('json').notNull(),
  text: text('text').notNull(),
  /** Every log row with seq <= this is included in `state`. A bigint like the log's `seq` it refers to. */
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The append-only log of accepted Yjs updates since the snapshot (group-committed by the collaboration server). */
export const documentUpdates = pgTable(
  'document_updates',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    update: bytea('update').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('document_updates_document_seq_idx').on(t.documentId, t.seq)],
);

export type DocumentSnapshot = typeof documentSnapshots.$inferSelect;
