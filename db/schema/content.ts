import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  customType,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { documents } from './documents';
import { tsvector } from './columns';

/** Raw bytes: PGlite hands back a Uint8Array, node-postgres a Buffer (also a Uint8Array). */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

/**
 * The compacted Yjs state of a document, with the ProseMirror JSON and plain text derived from it
 * (for listing, export and search). Written in one transaction with the deletion of the log rows it absorbed.
 */
export { tsvector };

/**
 * How much of a document's text is indexed for search. A tsvector holds at most 1 MB; a longer text would make the
 * generated column fail and with it the compaction, so only the first 400,000 characters (about 130 pages) count.
 */
export const searchTextLimit = 400_000;

export const documentSnapshots = pgTable(
  'document_snapshots',
  {
    documentId: uuid('document_id')
      .primaryKey()
      .references(() => documents.id, { onDelete: 'cascade' }),
    state: bytea('state').notNull(),
    json: jsonb('json').notNull(),
    text: text('text').notNull(),
    /** Every log row with seq <= this is included in `state`. A bigint like the log's `seq` it refers to. */
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * Full-text search (Dutch): the header fields (weight B) and the text (weight C), derived by the database from
     * `json` and `text` whenever a snapshot is written, i.e. at compaction and creation, never per keystroke. The
     * title (weight A) lives on `documents` and is matched there (server/search/search.ts).
     */
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      sql`setweight(to_tsvector('dutch', jsonb_path_query_array(json, 'strict $.content[*] ? (@.type == "metadata").**.text')::text), 'B') || setweight(to_tsvector('dutch', left(text, ${sql.raw(String(searchTextLimit))})), 'C')`,
    ),
    /**
     * What ranks a match (never what decides it): the header (B) and the first 2,000 characters of the text (C),
     * where a voorstel says what it is about. Ranking reads this small vector instead of the whole text's, so a
     * word found in thousands of documents is still ranked in milliseconds (server/search/search.ts).
     */
    rankVector: tsvector('rank_vector').generatedAlwaysAs(
      sql`setweight(to_tsvector('dutch', jsonb_path_query_array(json, 'strict $.content[*] ? (@.type == "metadata").**.text')::text), 'B') || setweight(to_tsvector('dutch', left(text, 2000)), 'C')`,
    ),
  },
  // The opening's vector has its own index so that a rare word's opening matches come from an index, like the
  // whole text's; both are written at compaction only (server/search/search.ts).
  (t) => [
    index('document_snapshots_search_idx').using('gin', t.searchVector),
    index('document_snapshots_rank_idx').using('gin', t.rankVector),
  ],
);

/** The append-only log of accepted Yjs updates since the snapshot (group-committed by the collaboration server). */
export const documentUpdates = pgTable(
  'document_updates',
  {
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    update: bytea('update').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // One index, (document, seq), is all the log is ever read, compacted and caught up by; a second one on seq alone
  // cost every appended row another index entry in the write-ahead log (~70 of ~380 bytes per single-row commit).
  // `seq` still comes from one sequence, so it orders the whole log.
  (t) => [primaryKey({ columns: [t.documentId, t.seq] })],
);

export type DocumentSnapshot = typeof documentSnapshots.$inferSelect;
