import { threadId } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError, toResponse } from '../../server/errors';
import { createWorkerPool, transferableBuffers, type WorkerPoolConfig } from '../../server/workers/pool';
import type { tasks } from '../helpers/pool-tasks';

const tasksModule = new URL('../helpers/pool-tasks.ts', import.meta.url);
const pools: { close(): Promise<void> }[] = [];
const quiet: WorkerPoolConfig['log'] = () => {};

function pool(config: Partial<WorkerPoolConfig> = {}) {
  const p = createWorkerPool<typeof tasks>(tasksModule, { log: quiet, ...config });
  pools.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('worker pool', () => {
  it('runs a job in a worker thread, not on the main thread, and counts it', async () => {
    const p = pool({ size: 1 });
    const id = await p.run('whoAmI', undefined);
    expect(id).not.toBe(threadId);
    expect(p.stats()).toMatchObject({ threads: 1, busy: 0, queued: 0, completed: { whoAmI: 1 }, threadIds: [id] });
  });

  it('moves byte arrays both ways: the input is transferred (detached here), the result arrives whole', async () => {
    const p = pool({ size: 1 });
    const input = new Uint8Array(1024 * 1024).fill(1);
    expect(await p.run('sum', { bytes: input }, { transfer: transferableBuffers([input]) })).toBe(1024 * 1024);
    expect(input.byteLength).toBe(0);
    const out = await p.run('bytes', { size: 3 * 1024 * 1024 });
    expect(out.byteLength).toBe(3 * 1024 * 1024);
    expect(out[out.length - 1]).toBe(7);
  });

  it('a domain error thrown in the thread keeps its code, status and details', async () => {
    const p = pool({ size: 1 });
    const err = await p.run('refuse', undefined).catch((e: unknown) => e);
    expect(isAppError(err)).toBe(true);
    expect(err).toMatchObject({
      code: 'invalid:test',
      status: 422,
      message: 'Geweigerd. / Refused.',
      details: { why: 'test' },
    });
  });

  it('with every thread busy and the queue full, one more job is refused at once with 503 and Retry-After', async () => {
    const p = pool({ size: 1, maxQueue: 1, retryAfterSeconds: 7 });
    const running = p.run('wait', { ms: 60_000 });
    const queued = p.run('wait', { ms: 60_000 });
    const outcomes = Promise.allSettled([running, queued]);
    const refused = await p.run('whoAmI', undefined).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'unavailable:busy', status: 503, retryAfterSeconds: 7 });
    const res = toResponse(refused);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('7');
    expect((await res.json()).error.code).toBe('unavailable:busy');
    expect(p.stats()).toMatchObject({ busy: 1, queued: 1, refused: 1 });

    // Closing fails what runs and what waits; nothing is left hanging.
    await p.close();
    const closing = {
      status: 'rejected',
      reason: expect.objectContaining({ code: 'unavailable:closing', status: 503 }),
    };
    expect(await outcomes).toEqual([closing, closing]);
    await expect(p.run('whoAmI', undefined)).rejects.toMatchObject({ code: 'unavailable:closing' });
  });

  it('a thread that crashes fails its job; the next job runs on a new thread', async () => {
    const p = pool({ size: 1 });
    const before = await p.run('whoAmI', undefined);
    await expect(p.run('crash', undefined)).rejects.toThrow(/worker thread stopped during crash: boom/);
    const after = await p.run('whoAmI', undefined);
    expect(after).not.toBe(before);
    expect(p.stats()).toMatchObject({ threads: 1, crashed: 1 });
  });

  it('a job past its timeout fails and its thread is terminated, even in synchronous work; the pool goes on', async () => {
    const p = pool({ size: 1, jobTimeoutMs: 300 });
    const first = await p.run('whoAmI', undefined);
    await expect(p.run('spin', { ms: 30_000 })).rejects.toMatchObject({ code: 'internal:timeout', status: 500 });
    const next = await p.run('whoAmI', undefined);
    expect(next).not.toBe(first);
    expect(p.stats()).toMatchObject({ threads: 1, crashed: 1 });
  });

  it('jobs beyond the thread count wait in the queue and all finish, on at most `size` threads', async () => {
    const p = pool({ size: 2, maxQueue: 8 });
    const ids = await Promise.all(Array.from({ length: 6 }, () => p.run('wait', { ms: 50 })));
    expect(new Set(ids).size).toBeLessThanOrEqual(2);
    expect(p.stats()).toMatchObject({ threads: 2, completed: { wait: 6 } });
  });
});
