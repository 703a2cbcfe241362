import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError } from '../errors';

/**
 * A small pool of worker threads for CPU-heavy jobs (PDF and DOCX rendering, .docx import), so that no request
 * stalls the event loop that carries every WebSocket. Jobs are named tasks from a table module (see
 * server/workers/tasks.ts) run by server/workers/thread.mjs; inputs and results cross threads as structured
 * clones, byte arrays transferred.
 *
 * Contract:
 * - At most `size` threads, started when a job needs one (a server that never exports never pays their start).
 * - At most `maxQueue` jobs wait; one more is refused at once with `unavailable:busy` (HTTP 503, Retry-After), so
 *   an overload answers quickly instead of piling up requests that time out anyway.
 * - A thread that crashes (an uncaught error, out of memory) fails its job and is dropped; the next job starts a
 *   new one. A job running longer than `jobTimeoutMs` fails and its thread is terminated: the only way to stop
 *   synchronous work.
 * - `close()` fails every waiting and running job and terminates the threads.
 */
export interface WorkerPoolConfig {
  size: number;
  maxQueue: number;
  jobTimeoutMs: number;
  /** V8 old-space cap per thread: a runaway job ends its thread, not the process. */
  maxHeapMb: number;
  /** Sent as Retry-After when the queue is full. */
  retryAfterSeconds: number;
  /**
   * Nice value of each thread (0–19; Linux schedules threads, so only the pool's threads are lowered): under full
   * load the event loop gets the cores first and renders take the rest. 0 leaves them equal.
   */
  nice: number;
  log: (level: 'warn' | 'error', message: string, details?: unknown) => void;
}

export const defaultWorkerPoolConfig: WorkerPoolConfig = {
  size: Math.max(1, Math.min(2, availableParallelism())),
  maxQueue: 8,
  jobTimeoutMs: 60_000,
  maxHeapMb: 1024,
  retryAfterSeconds: 5,
  nice: 10,
  log: (level, message, details) => console[level](`[workers] ${message}`, details ?? ''),
};

/** name → function of one plain input; what the thread module exports as `tasks`. */
export type TaskTable = Record<string, (input: any) => unknown>;

export interface PoolStats {
  threads: number;
  busy: number;
  queued: number;
  /** Jobs finished in a worker thread (successfully or with an error the task threw), per task. */
  completed: Record<string, number>;
  /** Jobs lost with their thread (crash or timeout). */
  crashed: number;
  /** Jobs refused because the queue was full. */
  refused: number;
  /** Thread ids that have run a job (never the main thread's 0). */
  threadIds: number[];
}

export interface WorkerPool<T extends TaskTable> {
  /** Runs `task` in a thread. `transfer`: ArrayBuffers of `input` to move instead of copy (unusable here afterwards). */
  run<K extends keyof T & string>(
    task: K,
    input: Parameters<T[K]>[0],
    options?: { transfer?: ArrayBuffer[] },
  ): Promise<Awaited<ReturnType<T[K]>>>;
  stats(): PoolStats;
  close(): Promise<void>;
}

interface Job {
  id: number;
  task: string;
  input: unknown;
  transfer: ArrayBuffer[];
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

interface Thread {
  worker: Worker;
  /** The task module is loaded (the thread said so). */
  ready: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
  gone: boolean;
}

interface SerialisedError {
  appError: boolean;
  name: string;
  message: string;
  code?: string;
  details?: unknown;
  retryAfterSeconds?: number;
  stack?: string;
}

/**
 * The buffers of `views` that may be transferred to a thread: those a view covers entirely. A view into a shared
 * buffer (Node's pool of small Buffers) is left out, so it is copied instead of taking the whole pool with it.
 */
export function transferableBuffers(views: Uint8Array[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const v of views)
    if (v.byteOffset === 0 && v.byteLength === v.buffer.byteLength && v.buffer instanceof ArrayBuffer)
      out.add(v.buffer);
  return [...out];
}

const threadEntry = new URL('./thread.mjs', import.meta.url);

/** A task's own error, rebuilt on this side: domain errors keep their code (a corrupt upload stays a 422). */
function rebuild(task: string, e: SerialisedError): Error {
  const cause = Object.assign(new Error(e.message), { name: e.name, stack: e.stack });
  if (e.appError && e.code) {
    return new AppError(e.code as AppError['code'], e.message, {
      cause,
      details: e.details,
      retryAfterSeconds: e.retryAfterSeconds,
    });
  }
  return new Error(`worker task ${task} failed: ${e.message}`, { cause });
}

export function createWorkerPool<T extends TaskTable>(
  tasksModule: URL,
  overrides: Partial<WorkerPoolConfig> = {},
): WorkerPool<T> {
  const config: WorkerPoolConfig = { ...defaultWorkerPoolConfig, ...overrides };
  const threads = new Set<Thread>();
  const queue: Job[] = [];
  const terminating = new Set<Promise<unknown>>();
  const completed: Record<string, number> = {};
  const threadIds = new Set<number>();
  let crashed = 0;
  let refused = 0;
  let nextId = 1;
  let closed = false;

  const closingError = () =>
    new AppError('unavailable:closing', 'The server is shutting down.', {
      retryAfterSeconds: config.retryAfterSeconds,
    });

  function terminate(thread: Thread) {
    thread.gone = true;
    threads.delete(thread);
    clearTimeout(thread.timer);
    const done: Promise<void> = thread.worker.terminate().then(
      () => void terminating.delete(done),
      (err: unknown) => {
        terminating.delete(done);
        config.log('error', 'a worker thread did not terminate', err);
      },
    );
    terminating.add(done);
  }

  /** The thread is gone with its job: fail that job, and let the queue go on (a new thread starts on demand). */
  function lose(thread: Thread, err: Error) {
    if (thread.gone) return;
    const job = thread.job;
    thread.job = undefined;
    terminate(thread);
    if (job) {
      crashed++;
      job.reject(err);
    }
    dispatch();
  }

  function spawn(): Thread {
    const worker = new Worker(threadEntry, {
      workerData: { tasks: tasksModule.href, nice: config.nice },
      resourceLimits: { maxOldGenerationSizeMb: config.maxHeapMb },
    });
    // Idle threads do not keep the process alive; a running job's timer does.
    worker.unref();
    const thread: Thread = { worker, ready: false, gone: false };
    worker.on('message', (msg: { ready?: true; id: number; result?: unknown; error?: SerialisedError }) => {
      if (msg.ready) {
        thread.ready = true;
        if (thread.job) armTimeout(thread, thread.job);
        return;
      }
      const job = thread.job;
      if (!job || msg.id !== job.id) return;
      clearTimeout(thread.timer);
      thread.job = undefined;
      threadIds.add(worker.threadId);
      completed[job.task] = (completed[job.task] ?? 0) + 1;
      if (msg.error) job.reject(rebuild(job.task, msg.error));
      else job.resolve(msg.result);
      dispatch();
    });
    worker.on('error', (err) => {
      config.log('error', `worker thread crashed${thread.job ? ` during ${thread.job.task}` : ''}`, err);
      lose(
        thread,
        new Error(`the worker thread stopped during ${thread.job?.task ?? 'no task'}: ${err.message}`, { cause: err }),
      );
    });
    worker.on('exit', (code) => {
      if (!thread.gone) lose(thread, new Error(`the worker thread exited (code ${code})`));
    });
    threads.add(thread);
    return thread;
  }

  function armTimeout(thread: Thread, job: Job) {
    thread.timer = setTimeout(() => {
      config.log('warn', `${job.task} took longer than ${config.jobTimeoutMs} ms; its thread is terminated`);
      lose(thread, new AppError('internal:timeout', 'Processing took too long and was stopped.'));
    }, config.jobTimeoutMs);
  }

  /** Sends the job at once (a starting thread buffers it); its timeout runs from when the thread is ready. */
  function start(thread: Thread, job: Job) {
    thread.job = job;
    if (thread.ready) armTimeout(thread, job);
    try {
      thread.worker.postMessage({ id: job.id, task: job.task, input: job.input }, job.transfer);
    } catch (cause) {
      // An input that cannot be cloned: that job's fault, not the thread's.
      clearTimeout(thread.timer);
      thread.job = undefined;
      job.reject(new Error(`the input of ${job.task} cannot be sent to a worker thread`, { cause }));
    }
  }

  function dispatch() {
    while (queue.length && !closed) {
      let thread = [...threads].find((t) => !t.job);
      if (!thread && threads.size < config.size) thread = spawn();
      if (!thread) return;
      start(thread, queue.shift()!);
    }
  }

  return {
    run(task, input, options = {}) {
      if (closed) return Promise.reject(closingError());
      const idle = [...threads].some((t) => !t.job) || threads.size < config.size;
      if (!idle && queue.length >= config.maxQueue) {
        refused++;
        return Promise.reject(
          new AppError('unavailable:busy', 'The server is busy; try again in a few seconds.', {
            retryAfterSeconds: config.retryAfterSeconds,
          }),
        );
      }
      return new Promise((resolve, reject) => {
        queue.push({
          id: nextId++,
          task,
          input,
          transfer: options.transfer ?? [],
          resolve: resolve as (v: unknown) => void,
          reject,
        });
        dispatch();
      });
    },
    stats: () => ({
      threads: threads.size,
      busy: [...threads].filter((t) => t.job).length,
      queued: queue.length,
      completed: { ...completed },
      crashed,
      refused,
      threadIds: [...threadIds],
    }),
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(closingError());
      for (const thread of [...threads]) {
        const job = thread.job;
        thread.job = undefined;
        terminate(thread);
        job?.reject(closingError());
      }
      await Promise.all([...terminating]);
    },
  };
}
