// One thread of the worker pool (server/workers/pool.ts). Plain JavaScript so that every runner can start it
// (tsx, vitest, node), as db/pglite-worker.mjs; the task table itself is TypeScript, loaded through tsx's scoped
// `tsImport`, which compiles it and what it imports without changing how the rest of this thread loads modules.
//
// workerData:   {tasks: <file URL of a module that exports `tasks`, a table of name → function(input)>, nice}
// Messages in:  {id, task, input}
// Messages out: {ready: true} once the tasks are loaded, then per job {id, result} | {id, error: {name, message, code?, details?, retryAfterSeconds?, stack?, appError}}
//
// A result's ArrayBuffers are transferred, not copied, when a view covers its whole buffer (a rendered PDF);
// a view into a shared buffer (Node's small-Buffer pool) is copied, since transferring would take the whole pool.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

// A lower scheduling priority for this thread alone (on Linux the nice value is per thread): when the cores are
// busy, the kernel runs the event loop that carries every WebSocket before a render, instead of sharing evenly.
if (workerData.nice) {
  try {
    setPriority(workerData.nice);
  } catch (err) {
    console.warn(`[workers] could not lower the priority of a worker thread: ${err?.message ?? err}`);
  }
}

const { tasks } = await tsImport(workerData.tasks, import.meta.url);
const appErrorBrand = Symbol.for('stukwerk.AppError');

function transferables(result) {
  const out = new Set();
  const views = ArrayBuffer.isView(result) ? [result] : result && typeof result === 'object' ? Object.values(result) : [];
  for (const v of views) {
    if (ArrayBuffer.isView(v) && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength && v.buffer instanceof ArrayBuffer) out.add(v.buffer);
  }
  return [...out];
}

function serialise(err) {
  const appError = typeof err === 'object' && err !== null && err[appErrorBrand] === true;
  return {
    appError,
    name: String(err?.name ?? 'Error'),
    message: String(err?.message ?? err),
    code: appError ? err.code : undefined,
    details: appError ? err.details : undefined,
    retryAfterSeconds: appError ? err.retryAfterSeconds : undefined,
    stack: typeof err?.stack === 'string' ? err.stack : undefined,
  };
}

parentPort.on('message', async ({ id, task, input }) => {
  try {
    const run = tasks[task];
    if (typeof run !== 'function') throw new Error(`unknown task ${task}`);
    const result = await run(input);
    parentPort.postMessage({ id, result }, transferables(result));
  } catch (err) {
    const error = serialise(err);
    try {
      parentPort.postMessage({ id, error });
    } catch {
      // `details` that cannot cross threads: the code and message still can.
      parentPort.postMessage({ id, error: { ...error, details: undefined } });
    }
  }
});

// Loading the tasks (compiling TypeScript, loading pdfkit and friends) takes a second or more: the pool starts a
// job's timeout only from here, so a slow start is not taken for a stuck job.
parentPort.postMessage({ ready: true });
