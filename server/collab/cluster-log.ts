import { sql, type SQL } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Database, Executor } from '../../db/client';
import { documentUpdates } from '../../db/schema';
import { writeSnapshot } from './persistence';
import { isTextLocked } from '../../common/policy';
import type { DocumentStatus } from '../../db/schema';

/**
 * The shared update log when several processes write it (REDIS_URL). PostgreSQL is the truth; three rules make a
 * process's copy of a document comparable with the log:
 *
 * 1. Every write to a document's log (append, compaction, the sign-off's read) holds that document's *log lock*,
 *    `pg_advisory_xact_lock(LOG_LOCK, hashtext(id))`, until its transaction ends. `seq` comes from one global
 *    sequence, so without the lock a row with a lower seq could commit after one with a higher seq and a reader
 *    that remembers "everything up to seq N" would skip it. With the lock, one document's rows become visible in
 *    seq order, and "rows with seq > N" is a complete catch-up.
 * 2. Each process keeps, per document, `applied`: every log row of that document with seq ≤ applied is in its copy.
 *    It grows only by reading the log (catch-up) or by appending when the log held nothing newer than `applied`.
 * 3. An append re-reads the document's status under the log lock and drops its rows when the text is locked
 *    (`ready` or signed off): a process that had not yet heard of the lock never stores text typed after it.
 */
export const LOG_LOCK = 0x5354_0001; // 'ST' + 1: the classid of the two-key advisory locks
export const COMPACT_LOCK = 0x5354_0002;
export const VERSION_LOCK = 0x5354_0003;

/** Rows of a raw query: node-postgres and PGlite both answer `{ rows }`. */
async function rowsOf<T>(db: Executor, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

const idList = (ids: readonly string[]): SQL =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );

/** Takes the log locks of `ids` in one sorted order, so two transactions never wait for each other in a cycle. */
export async function lockLogs(tx: Executor, ids: readonly string[]): Promise<void> {
  if (!ids.length) return;
  await tx.execute(
    sql`select pg_advisory_xact_lock(${LOG_LOCK}, k) from (select distinct hashtext(id::text) as k from unnest(array[${idList(ids)}]) as id order by 1) as locks`,
  );
}

export interface ClusterAppendResult {
  /** One per row given, in order; 0 for a row dropped because its document's text is locked (or it was deleted). */
  seqs: number[];
  /** Per document: the highest seq in the log before this append (0 for none). */
  before: Map<string, number>;
  /** Documents whose rows were dropped because their text is locked, with the stored status. */
  locked: Map<string, DocumentStatus>;
}

/** Appends one row per document (already merged by the caller), under the log locks, in one transaction. */
export async function appendLocked(
  db: Database,
  rows: { documentId: string; update: Uint8Array }[],
): Promise<ClusterAppendResult> {
  const ids = [...new Set(rows.map((r) => r.documentId))];
  return db.transaction(async (tx) => {
    await lockLogs(tx, ids);
    const state = await rowsOf<{ id: string; status: DocumentStatus; before: string | number | null }>(
      tx,
      sql`select d.id, d.status, (select max(u.seq) from document_updates u where u.document_id = d.id) as before
          from documents d where d.id in (${idList(ids)})`,
    );
    const before = new Map<string, number>();
    const locked = new Map<string, DocumentStatus>();
    for (const r of state) {
      before.set(r.id, Number(r.before ?? 0));
      if (isTextLocked(r.status)) locked.set(r.id, r.status);
    }
    // A deleted document has no row in `documents`: its updates are dropped like a locked one's.
    const keep = (r: { documentId: string }) => !locked.has(r.documentId) && before.has(r.documentId);
    const kept = rows.filter(keep);
    const inserted = kept.length
      ? await tx.insert(documentUpdates).values(kept).returning({ seq: documentUpdates.seq })
      : [];
    let next = 0;
    const seqs = rows.map((r) => (keep(r) ? inserted[next++]!.seq : 0));
    return { seqs, before, locked };
  });
}

export interface LogRow {
  documentId: string;
  seq: number;
  update: Uint8Array;
}

/**
 * The rows of each document newer than what the caller applied, and, for a document whose snapshot absorbed rows
 * the caller never saw (another process compacted), that snapshot. Rows are read before snapshots: a compaction
 * in between leaves a snapshot that covers every row it deleted, so the two together are complete.
 */
export async function readNewer(
  db: Executor,
  applied: ReadonlyMap<string, number>,
): Promise<{ rows: LogRow[]; snapshots: Map<string, { state: Uint8Array; lastSeq: number }> }> {
  const snapshots = new Map<string, { state: Uint8Array; lastSeq: number }>();
  if (!applied.size) return { rows: [], snapshots };
  const pairs = sql.join(
    [...applied].map(([id, seq]) => sql`(${id}::uuid, ${seq}::bigint)`),
    sql`, `,
  );
  const result = await rowsOf<{ document_id: string; seq: string | number; update: Buffer }>(
    db,
    sql`select u.document_id, u.seq, u.update from document_updates u
        join (values ${pairs}) as w(id, seq) on u.document_id = w.id and u.seq > w.seq order by u.seq`,
  );
  const rows = result.map((r) => ({ documentId: r.document_id, seq: Number(r.seq), update: new Uint8Array(r.update) }));
  const snaps = await rowsOf<{ document_id: string; last_seq: string | number; state: Buffer }>(
    db,
    sql`select s.document_id, s.last_seq, s.state from document_snapshots s
        join (values ${pairs}) as w(id, seq) on s.document_id = w.id and s.last_seq > w.seq`,
  );
  for (const s of snaps) snapshots.set(s.document_id, { state: new Uint8Array(s.state), lastSeq: Number(s.last_seq) });
  return { rows, snapshots };
}

/**
 * Compaction with several processes: at most one at a time per document (a try-lock; a busy one is skipped, not
 * awaited), and under the log lock, so no row of the document commits meanwhile. `catchUp` applies to the copy
 * every row it has not applied (any process's) and returns the seq up to which the copy now holds the whole log;
 * only rows up to that seq are folded into the snapshot and deleted. A signed-off document is not compacted: its
 * snapshot was written by the sign-off and is the signed state.
 */
export async function compactLocked(
  db: Database,
  documentId: string,
  ydoc: Y.Doc,
  catchUp: (tx: Executor) => Promise<number>,
): Promise<{ upToSeq: number } | undefined> {
  return db.transaction(async (tx) => {
    const won = await rowsOf<{ ok: boolean }>(
      tx,
      sql`select pg_try_advisory_xact_lock(${COMPACT_LOCK}, hashtext(${documentId})) as ok`,
    );
    if (!won[0]?.ok) return undefined;
    await lockLogs(tx, [documentId]);
    const status = await rowsOf<{ status: string }>(
      tx,
      sql`select status from documents where id = ${documentId}::uuid`,
    );
    if (status[0]?.status !== 'draft' && status[0]?.status !== 'review') return undefined;
    const upToSeq = await catchUp(tx);
    await writeSnapshotLocked(tx, documentId, ydoc, upToSeq);
    return { upToSeq };
  });
}

/** The copy becomes the snapshot and the rows it holds are deleted; the caller holds the document's log lock. */
export async function writeSnapshotLocked(
  tx: Executor,
  documentId: string,
  ydoc: Y.Doc,
  upToSeq: number,
): Promise<void> {
  await writeSnapshot(tx, documentId, ydoc, upToSeq);
}
