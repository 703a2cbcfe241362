import * as Y from 'yjs';
import type { Database } from '../../db/client';
import { describeError } from '../errors';
import type { CollabLog } from './config';
import type { CollabDocument } from './document';
import { appendUpdates, compactDocument } from './persistence';
import { createUpdateLog } from './update-log';

/**
 * A collaboration server's storage: the group-committed update log that every accepted update goes to, and the
 * compaction of a document's log into its snapshot once the log has grown. Rows are counted per live document
 * instance, so a document that was unloaded and loaded again never compacts away a row it does not hold.
 */
export function createDocumentStorage(options: {
  db: Database;
  flushDelayMs: number;
  /** One row per document per flush (default); false writes one row per update (the benchmark's "before"). */
  mergeRows?: boolean;
  compactAfter: { updates: number; bytes: number };
  log: CollabLog;
  onCommitted?: (commit: { updates: number; bytes: number; delaysMs: number[]; transactionMs: number }) => void;
  /** Several processes (REDIS_URL): appends and compactions take the document's log lock (cluster-log.ts). */
  cluster?: {
    append(rows: { documentId: string; update: Uint8Array }[]): Promise<number[]>;
    compact(doc: CollabDocument): Promise<{ upToSeq: number } | undefined>;
  };
}) {
  const { db, log, cluster } = options;
  /** `rowsWritten`/`rowBytes`: what reached the log after merging (write amplification = rows per flushed update). */
  const stats = { flushes: 0, flushedUpdates: 0, flushedBytes: 0, rowsWritten: 0, rowBytes: 0, compactions: 0 };

  /**
   * A leaner log: the updates of one document in one flush become one row (`Y.mergeUpdates` on the few updates of a
   * flush is cheap; on thousands it would not be, and a flush never holds that many of one document for long).
   * Every update gets its document's row seq back.
   */
  async function write(batch: { documentId: string; update: Uint8Array }[]): Promise<{ seq: number }[]> {
    if (options.mergeRows === false) {
      const seqs = cluster ? await cluster.append(batch) : (await appendUpdates(db, batch)).map((r) => r.seq);
      stats.rowsWritten += batch.length;
      stats.rowBytes += batch.reduce((n, r) => n + r.update.byteLength, 0);
      return seqs.map((seq) => ({ seq }));
    }
    const byDocument = new Map<string, Uint8Array[]>();
    for (const { documentId, update } of batch) {
      const list = byDocument.get(documentId);
      if (list) list.push(update);
      else byDocument.set(documentId, [update]);
    }
    const rows = [...byDocument].map(([documentId, updates]) => ({
      documentId,
      update: updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates),
    }));
    const seqs = cluster ? await cluster.append(rows) : (await appendUpdates(db, rows)).map((r) => r.seq);
    stats.rowsWritten += rows.length;
    stats.rowBytes += rows.reduce((n, r) => n + r.update.byteLength, 0);
    const seqOf = new Map(rows.map((r, i) => [r.documentId, seqs[i]!]));
    return batch.map((entry) => ({ seq: seqOf.get(entry.documentId)! }));
  }
  const compacting = new Map<CollabDocument, Promise<void>>();
  /** Failed writes since the last success: an outage is logged when it starts, every 30 s, and when it ends. */
  let failing = { count: 0, loggedAt: 0 };

  const updateLog = createUpdateLog<CollabDocument>({
    write,
    intervalMs: options.flushDelayMs,
    onFlushed: (rows, transactionMs) => {
      if (failing.count) log('info', `the update log is written again after ${failing.count} failed attempts`);
      failing = { count: 0, loggedAt: 0 };
      options.onCommitted?.({
        updates: rows.length,
        bytes: rows.reduce((n, r) => n + r.bytes, 0),
        delaysMs: rows.map((r) => r.delayMs),
        transactionMs,
      });
      stats.flushes++;
      stats.flushedUpdates += rows.length;
      const touched = new Set<CollabDocument>();
      for (const row of rows) {
        stats.flushedBytes += row.bytes;
        // seq 0: not stored (a signed-off document, several processes); the cluster has told the copy.
        if (row.owner.destroyed || !row.seq) continue;
        row.owner.recordFlushed(row.seq, row.bytes);
        touched.add(row.owner);
      }
      // compact() logs its own failures and never rejects; the catch only keeps that promise visibly handled.
      for (const doc of touched) if (doc.needsCompaction(options.compactAfter)) compact(doc).catch(() => {});
    },
    onError: (err) => {
      failing.count++;
      const now = Date.now();
      if (failing.count > 1 && now - failing.loggedAt < 30_000) return;
      failing.loggedAt = now;
      log(
        'error',
        `writing the update log failed (${failing.count}×, ${updateLog.pendingCount} updates kept); retrying`,
        describeError(err),
      );
    },
  });

  /** Never rejects: a failed compaction leaves the snapshot and the log as they were, which is still complete. */
  function compact(doc: CollabDocument): Promise<void> {
    const running = compacting.get(doc);
    if (running) return running;
    const position = doc.logPosition();
    const job = (cluster ? cluster.compact(doc) : compactDocument(db, doc.id, doc.ydoc, position.upToSeq))
      .then((done) => {
        if (!done) return; // another process is compacting it, or it is signed off (several processes)
        stats.compactions++;
        doc.recordCompacted(position);
      })
      .catch((err: unknown) => log('error', `compacting ${doc.id} failed; the log stays`, describeError(err)))
      .finally(() => compacting.delete(doc));
    compacting.set(doc, job);
    return job;
  }

  return {
    stats,
    append: (doc: CollabDocument, update: Uint8Array) => updateLog.append(doc, update),
    /** Resolves when everything appended so far is committed; rejects when the database refuses. */
    flush: () => updateLog.flush(),
    uncommittedFor: (documentId: string) => updateLog.uncommittedFor(documentId),
    compact,
    get pendingCount() {
      return updateLog.pendingCount;
    },
  };
}

export type DocumentStorage = ReturnType<typeof createDocumentStorage>;
