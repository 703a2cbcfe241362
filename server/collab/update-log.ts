/** What appended an update: the live document instance it was accepted by (a reloaded document is another owner). */
export interface LogOwner {
  readonly id: string;
}

export interface FlushedRow<O extends LogOwner> {
  seq: number;
  owner: O;
  bytes: number;
  delayMs: number;
}

/**
 * Group commit for the whole server, one transaction per flush, one flush at a time (so the log keeps the order in
 * which updates were accepted). A flush starts `intervalMs` after the oldest pending update was accepted, once the
 * previous flush has both finished and started at least `intervalMs` ago: an update waits at most about one interval
 * plus one commit; under load every update accepted while a commit runs goes into the next one, so batches grow with
 * the load and the number of transactions per second stays bounded by 1000 / `intervalMs`. Waiting the interval
 * even at light load is deliberate: the database's work then happens after the update's fan-out to the other
 * connections rather than competing with it for the CPU (edit-to-remote latency), and the few updates a document
 * gets in one interval become one row (storage.ts).
 *
 * Every row is reported back with the owner that appended it (not just its document id): after a document is
 * unloaded and loaded again, a late row of the old copy must never be counted as the new copy's, or the new copy's
 * compaction would delete a row it does not hold.
 */
export function createUpdateLog<O extends LogOwner>(options: {
  /** Writes one batch in one transaction and returns each row's seq, in the order given. */
  write: (batch: { documentId: string; update: Uint8Array }[]) => Promise<{ seq: number }[]>;
  intervalMs: number;
  onFlushed: (rows: FlushedRow<O>[], transactionMs: number) => void;
  onError: (err: unknown) => void;
  /** Rows per INSERT: far below PostgreSQL's 65,535 bind parameters, so a backlog after an outage still goes out. */
  maxBatchRows?: number;
}) {
  const { intervalMs, onFlushed, onError, maxBatchRows = 1_000 } = options;
  type Entry = { owner: O; update: Uint8Array; acceptedAt: number };
  let pending: Entry[] = [];
  /** The batch being written: not pending any more, not committed yet. */
  let inFlight: Entry[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> | undefined;
  /** No flush starts before this time (spacing, and a pause after a failed write). */
  let notBefore = 0;
  /** Updates appended and updates committed so far, in order: a flush waits for what was appended before it. */
  let appended = 0;
  let committed = 0;

  const writeBatch = async () => {
    const batch = pending.splice(0, maxBatchRows);
    if (!batch.length) return;
    inFlight = batch;
    const started = performance.now();
    notBefore = started + intervalMs;
    try {
      const rows = await options.write(batch.map(({ owner, update }) => ({ documentId: owner.id, update })));
      const done = performance.now();
      committed += batch.length;
      inFlight = [];
      onFlushed(
        rows.map((r, i) => ({
          seq: r.seq,
          owner: batch[i]!.owner,
          bytes: batch[i]!.update.byteLength,
          delayMs: done - batch[i]!.acceptedAt,
        })),
        done - started,
      );
    } catch (err) {
      // Keep the batch, in order, for the next attempt after a pause; the caller of flush() learns of the failure.
      inFlight = [];
      pending = batch.concat(pending);
      notBefore = performance.now() + Math.max(intervalMs, 500);
      onError(err);
      throw err;
    }
  };

  const startWrite = () => {
    writing = writeBatch().finally(() => {
      writing = undefined;
      if (pending.length) schedule();
    });
    return writing;
  };

  /**
   * Resolves once every update appended before the call is committed (one transaction per batch); rejects when a
   * write fails, so shutdown, sign-off and export never take unwritten updates for written ones.
   */
  const flush = async (): Promise<void> => {
    const target = appended;
    if (timer) clearTimeout(timer);
    timer = undefined;
    while (committed < target) {
      if (writing) {
        await writing.catch(() => {}); // that write's own caller hears of its failure; this one retries below
        continue;
      }
      if (!pending.length) break; // cannot happen: what is not committed is pending or being written
      await startWrite();
    }
  };

  const schedule = () => {
    if (timer || writing) return; // a write in progress schedules the next one when it ends
    const oldest = pending[0]?.acceptedAt ?? performance.now();
    timer = setTimeout(
      () => {
        timer = undefined;
        if (!writing && pending.length) startWrite().catch(() => {}); // reported through onError; retried after a pause
      },
      Math.max(0, notBefore - performance.now(), oldest + intervalMs - performance.now()),
    );
  };

  return {
    append(owner: O, update: Uint8Array) {
      pending.push({ owner, update, acceptedAt: performance.now() });
      appended++;
      schedule();
    },
    flush,
    /** Updates of a document not yet committed (pending or being written). */
    uncommittedFor(documentId: string): number {
      const count = (entries: Entry[]) => entries.reduce((n, e) => n + (e.owner.id === documentId ? 1 : 0), 0);
      return count(pending) + count(inFlight);
    },
    get pendingCount() {
      return pending.length + inFlight.length;
    },
  };
}
