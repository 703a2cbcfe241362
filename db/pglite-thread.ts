import { Worker } from 'node:worker_threads';

/**
 * A PGlite look-alike for drizzle-orm/pglite whose database runs in a worker thread (db/pglite-worker.mjs): the
 * same `query` and `transaction` calls, forwarded as messages. Only what drizzle uses is offered.
 */
interface QueryOptions {
  rowMode?: 'array' | 'object';
  parsers?: Record<number, unknown>;
}

type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void };

export class PgliteThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failed: Error | undefined;

  private constructor() {
    this.worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url));
    this.worker.on(
      'message',
      (msg: {
        id: number;
        result?: unknown;
        error?: { message: string; code?: string; detail?: string; name?: string };
      }) => {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.error)
          p.reject(Object.assign(new Error(msg.error.message), { code: msg.error.code, detail: msg.error.detail }));
        else p.resolve(msg.result);
      },
    );
    // A crashed worker fails every waiting and later call rather than leaving them hanging.
    const fail = (err: Error) => {
      this.failed = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the database thread stopped (exit ${code})`)));
  }

  static async open(dataDir: string): Promise<PgliteThread> {
    const thread = new PgliteThread();
    try {
      await thread.call({ op: 'open', dataDir });
    } catch (err) {
      await thread.worker.terminate();
      throw err;
    }
    return thread;
  }

  private call<T>(message: Record<string, unknown>): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  private run(sql: string, params: unknown[] | undefined, options: QueryOptions | undefined, txId?: number) {
    return this.call({
      op: 'query',
      sql,
      params: params ?? [],
      rowMode: options?.rowMode,
      identityTypes: Object.keys(options?.parsers ?? {}).map(Number),
      txId,
    });
  }

  query(sql: string, params?: unknown[], options?: QueryOptions) {
    return this.run(sql, params, options);
  }

  async transaction<T>(callback: (tx: { query: PgliteThread['query'] }) => Promise<T>): Promise<T> {
    const txId = this.nextId; // the id of the 'begin' message names the transaction
    await this.call({ op: 'begin' });
    const tx = {
      query: (sql: string, params?: unknown[], options?: QueryOptions) => this.run(sql, params, options, txId),
    };
    let result: T;
    try {
      result = await callback(tx);
    } catch (err) {
      await this.call({ op: 'end', txId, commit: false });
      throw err;
    }
    await this.call({ op: 'end', txId, commit: true });
    return result;
  }

  async close(): Promise<void> {
    if (!this.failed) await this.call({ op: 'close' });
    // A call after close must fail at once: a message to a terminated worker would wait for an answer forever.
    this.failed ??= new Error('the database is closed');
    await this.worker.terminate();
  }
}
