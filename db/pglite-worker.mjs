// The embedded database in a worker thread (plain JavaScript so that every runner can start it: tsx, vitest, node).
// PGlite executes queries synchronously in WebAssembly, including the fsync of each commit; on the server's own
// thread that work would stall every WebSocket for its duration. Here it runs beside the event loop instead.
//
// Messages in:  {id, op: 'open', dataDir} | {id, op: 'query', sql, params, rowMode, identityTypes, txId?}
//               {id, op: 'begin'} | {id, op: 'end', txId, commit} | {id, op: 'close'}
// Messages out: {id, result} | {id, error: {message, code, detail, name}}
import { parentPort } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

let db;
const transactions = new Map(); // txId → { tx, finish(commit) }
const rollback = Symbol('rollback');

const reply = (id, result) => parentPort.postMessage({ id, result });
const fail = (id, err) =>
  parentPort.postMessage({ id, error: { message: String(err?.message ?? err), code: err?.code, detail: err?.detail, name: err?.name } });

// Drizzle asks for some types (timestamps, dates, intervals) to be returned as they come; functions cannot cross
// threads, so the main thread names the type ids and the identity parsers are made here.
const parsersFor = (ids) => Object.fromEntries((ids ?? []).map((t) => [t, (v) => v]));

parentPort.on('message', async (msg) => {
  const { id } = msg;
  try {
    switch (msg.op) {
      case 'open':
        db = await PGlite.create(msg.dataDir);
        return reply(id, null);
      case 'query': {
        const target = msg.txId ? transactions.get(msg.txId)?.tx : db;
        if (!target) throw new Error(`unknown transaction ${msg.txId}`);
        const result = await target.query(msg.sql, msg.params, { rowMode: msg.rowMode, parsers: parsersFor(msg.identityTypes) });
        return reply(id, { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows });
      }
      case 'begin':
        // PGlite holds its transaction lock for the callback's lifetime; plain queries wait behind it, as in-process.
        db.transaction(
          (tx) =>
            new Promise((resolve, reject) => {
              transactions.set(id, { tx, finish: (commit) => (commit ? resolve() : reject(rollback)) });
              reply(id, null);
            }),
        ).then(
          () => transactions.get(id)?.ended?.(null),
          (err) => {
            const entry = transactions.get(id);
            if (entry) entry.ended?.(err === rollback ? null : err);
            else fail(id, err); // BEGIN itself failed: the caller is still waiting for its answer
          },
        );
        return;
      case 'end': {
        const entry = transactions.get(msg.txId);
        if (!entry) throw new Error(`unknown transaction ${msg.txId}`);
        entry.ended = (err) => {
          transactions.delete(msg.txId);
          if (err) fail(id, err);
          else reply(id, null);
        };
        entry.finish(msg.commit);
        return;
      }
      case 'close':
        await db?.close();
        reply(id, null);
        return;
      default:
        throw new Error(`unknown op ${msg.op}`);
    }
  } catch (err) {
    fail(id, err);
  }
});
