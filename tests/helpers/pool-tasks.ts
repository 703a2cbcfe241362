import { threadId } from 'node:worker_threads';
import { AppError } from '../../server/errors';

/** Tasks for tests of the worker pool (tests/unit/worker-pool.test.ts), run in real worker threads. */
export const tasks = {
  whoAmI: () => threadId,
  bytes: (input: { size: number }) => new Uint8Array(input.size).fill(7),
  sum: (input: { bytes: Uint8Array }) => input.bytes.reduce((a, b) => a + b, 0),
  refuse: () => {
    throw new AppError('invalid:test', 'Geweigerd. / Refused.', { details: { why: 'test' } });
  },
  /** An exception nobody catches: the thread dies with it. */
  crash: () => {
    setImmediate(() => {
      throw new Error('boom');
    });
    return new Promise<never>(() => {});
  },
  /** Synchronous work: only terminating the thread stops it. */
  spin: (input: { ms: number }) => {
    const end = Date.now() + input.ms;
    while (Date.now() < end);
    return threadId;
  },
  wait: (input: { ms: number }) => new Promise<number>((resolve) => setTimeout(() => resolve(threadId), input.ms)),
};
