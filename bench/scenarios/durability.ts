import { collabDefaults } from '../../server/collab/config';
import { summarize } from '../lib/stats';
import { clientsFor, seed, sleep, startClients, startStukwerk, type Backend, type Options } from '../lib/harness';
import { fmtMs, median, type Table } from '../lib/stats';

interface Commits {
  delays: number[];
  updates: number;
  bytes: number;
  flushes: number;
  transactionMs: number[];
}

/**
 * Scenario 3: from an update's acceptance by the server (it is applied as its message arrives) to the commit of
 * the transaction that holds it in the update log, and the bytes the database writes (its write-ahead log) per
 * byte of update: for the log alone while people type, and with the compaction at unload included.
 */
export async function durability(opts: Options, backends: Backend[], log: (s: string) => void): Promise<Table> {
  const windows = opts.quick ? 2 : 3;
  const durationMs = opts.quick ? 3000 : 6000;
  const docs = 4;
  const perDoc = 5;
  const rows: string[][] = [];
  type LogStats = { rowsWritten: number; rowBytes: number; flushedUpdates: number; flushedBytes: number };
  const logStats = async (server: { child: { call<T>(cmd: string, arg?: unknown): Promise<T> } }) =>
    (await server.child.call<{ stats: LogStats }>('metrics', { reset: false })).stats;
  // "before": one row per update (the log before it was made lean); "after": one row per document per flush.
  for (const backend of backends)
    for (const merge of [false, true]) {
      const server = await startStukwerk(backend, { collab: { mergeLogRows: merge } });
      const clients = await startClients();
      const seeded = await seed(server, {
        users: docs * perDoc,
        documents: docs,
        usersPerDocument: perDoc,
        content: 'memo',
      });
      await clients.call('connect', { url: server.url, clients: clientsFor(seeded, perDoc) });
      await sleep(300);
      await server.child.call('commits', { flush: true });
      const wal0 = await server.child.call<number>('walPosition');
      const log0 = await logStats(server);
      const p50s: number[] = [];
      const p99s: number[] = [];
      const maxes: number[] = [];
      const txs: number[] = [];
      let bytes = 0;
      let updates = 0;
      let flushes = 0;
      for (let w = 0; w < windows; w++) {
        await clients.call('typing', { rate: 5, durationMs, graceMs: 2000, awareness: true });
        const c = await server.child.call<Commits>('commits', { flush: true });
        const s = summarize(c.delays);
        p50s.push(s.p50);
        p99s.push(s.p99);
        maxes.push(s.max);
        txs.push(summarize(c.transactionMs).p99);
        bytes += c.bytes;
        updates += c.updates;
        flushes += c.flushes;
      }
      const wal1 = await server.child.call<number>('walPosition');
      const log1 = await logStats(server);
      const rowsPerUpdate =
        (log1.rowsWritten - log0.rowsWritten) / Math.max(1, log1.flushedUpdates - log0.flushedUpdates);
      const rowBytesPerByte = (log1.rowBytes - log0.rowBytes) / Math.max(1, log1.flushedBytes - log0.flushedBytes);
      // Everyone leaves: each document is flushed, compacted into a snapshot and released.
      await clients.call('destroy');
      for (const id of seeded.documentIds)
        await server.child.call('waitUnloaded', { documentId: id, timeoutMs: 30_000 });
      const wal2 = await server.child.call<number>('walPosition');
      const storage = await server.child.call<{ stateBytes: number; jsonBytes: number; textBytes: number }>(
        'storage',
        seeded.documentIds[0],
      );
      const row = {
        p50: median(p50s),
        p99: median(p99s),
        max: median(maxes),
        tx: median(txs),
        ampLog: (wal1 - wal0) / bytes,
        ampAll: (wal2 - wal0) / bytes,
      };
      rows.push([
        backend.name,
        merge ? 'after: a row per document per flush' : 'before: a row per update',
        String(updates),
        `${(updates / Math.max(1, flushes)).toFixed(1)}`,
        fmtMs(row.p50),
        fmtMs(row.p99),
        fmtMs(row.max),
        fmtMs(row.tx),
        `${(bytes / Math.max(1, updates)).toFixed(0)} B`,
        rowsPerUpdate.toFixed(2),
        `${rowBytesPerByte.toFixed(2)}×`,
        `${row.ampLog.toFixed(1)}×`,
        `${row.ampAll.toFixed(1)}×`,
      ]);
      log(
        `  ${backend.name} (${merge ? 'merged rows' : 'a row per update'}): ${rowsPerUpdate.toFixed(2)} rows per update; commit delay p50 ${fmtMs(row.p50)} p99 ${fmtMs(row.p99)}; ${row.ampLog.toFixed(1)}× written per update byte (log), ${row.ampAll.toFixed(1)}× with compaction (snapshot ${storage.stateBytes} B state + ${storage.jsonBytes} B JSON)`,
      );
      await clients.stop();
      await server.child.stop();
    }
  return {
    title: '3. Durability delay and write amplification',
    note: `${docs} documents (the demo memo) × ${perDoc} clients typing 5 edits a second with caret moves, ${windows} windows of ${durationMs / 1000} s; medians over windows. Delay: from the update's acceptance to the commit of its group-commit transaction (adaptive flush, at most one every ${collabDefaults.flushDelayMs} ms). Before/after: one log row per update, against the updates of one document in one flush merged into one row (\`Y.mergeUpdates\`), in the same run. Rows per update and row bytes per update byte: what the update log itself stores. Written: the database's write-ahead-log bytes per byte of update, for the log alone and including the compaction into a snapshot when the documents unload. The reference keeps nothing, so there is no reference column.`,
    header: [
      'database',
      'log',
      'updates',
      'updates per commit',
      'delay p50',
      'delay p99',
      'delay max',
      'commit p99',
      'update size',
      'rows per update',
      'row bytes per update byte',
      'written (log)',
      'written (with compaction)',
    ],
    rows,
    footer: backends.some((b) => b.name === 'PostgreSQL')
      ? ["- On PostgreSQL the write-ahead log is the whole cluster's: other databases on it count too."]
      : [],
  };
}
