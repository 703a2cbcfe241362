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
  compactAfter: { updates: number; bytes: number };
  log: CollabLog;
  onCommitted?: (commit: { updates: number; bytes: number; delaysMs: number[]; transactionMs: number }) => void;
}) {
  const { db, log } = options;
  const stats = { flushes: 0, flushedUpdates: 0, flushedBytes: 0, compactions: 0 };
  const compacting = new Map<CollabDocument, Promise<void>>();
  /** Failed writes since the last success: an outage is logged when it starts, every 30 s, and when it ends. */
  let failing = { count: 0, loggedAt: 0 };

  const updateLog = createUpdateLog<CollabDocument>({
    write: (batch) => appendUpdates(db, batch),
    intervalMs: options.flushDelayMs,
    onFlushed: (rows, transactionMs) => {
      if (failing.count) log('info', `the update log is written again after ${failing.count} failed attempts`);
      failing = { count: 0, loggedAt: 0 };
      options.onCommitted?.({ updates: rows.length, bytes: rows.reduce((n, r) => n + r.bytes, 0), delaysMs: rows.map((r) => r.delayMs), transactionMs });
      stats.flushes++;
      stats.flushedUpdates += rows.length;
      const touched = new Set<CollabDocument>();
      for (const row of rows) {
        stats.flushedBytes += row.bytes;
        if (row.owner.destroyed) continue;
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
      log('error', `writing the update log failed (${failing.count}×, ${updateLog.pendingCount} updates kept); retrying`, describeError(err));
    },
  });

  /** Never rejects: a failed compaction leaves the snapshot and the log as they were, which is still complete. */
  function compact(doc: CollabDocument): Promise<void> {
    const running = compacting.get(doc);
    if (running) return running;
    const position = doc.logPosition();
    const job = compactDocument(db, doc.id, doc.ydoc, position.upToSeq)
      .then(() => {
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
