import { describe, expect, it, vi } from 'vitest';
import { createUpdateLog, type FlushedRow } from './update-log';

type Owner = { id: string };

/** A log whose storage is an in-memory table that can be made to refuse writes, as a database in an outage does. */
function setup(options: { maxBatchRows?: number } = {}) {
  const table: { seq: number; documentId: string; update: Uint8Array }[] = [];
  const calls: number[] = [];
  let down = false;
  const flushed: FlushedRow<Owner>[] = [];
  const errors: unknown[] = [];
  const log = createUpdateLog<Owner>({
    write: async (batch) => {
      calls.push(batch.length);
      await new Promise((r) => setTimeout(r, 1));
      if (down) throw new Error('connection refused');
      return batch.map((row) => {
        table.push({ seq: table.length + 1, ...row });
        return { seq: table.length };
      });
    },
    intervalMs: 5,
    onFlushed: (rows) => flushed.push(...rows),
    onError: (err) => errors.push(err),
    maxBatchRows: options.maxBatchRows,
  });
  return { log, table, calls, flushed, errors, setDown: (v: boolean) => (down = v) };
}
const bytes = (n: number) => new Uint8Array([n]);

describe('the update log', () => {
  it('writes updates in the order they were accepted, in batches, and reports each row with its owner', async () => {
    const { log, table, calls, flushed } = setup({ maxBatchRows: 4 });
    const a = { id: 'a' };
    const b = { id: 'b' };
    for (let i = 0; i < 10; i++) log.append(i % 2 ? b : a, bytes(i));
    await log.flush();
    expect(table.map((r) => r.update[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Math.max(...calls)).toBeLessThanOrEqual(4);
    expect(flushed.map((r) => r.owner)).toEqual(table.map((r) => (r.documentId === 'a' ? a : b)));
    expect(log.pendingCount).toBe(0);
  });

  it('flush() rejects while the storage refuses, keeps every update, and retries them in order', async () => {
    const { log, table, setDown, errors } = setup();
    const doc = { id: 'd' };
    log.append(doc, bytes(1));
    await log.flush();
    setDown(true);
    for (let i = 2; i <= 6; i++) log.append(doc, bytes(i));
    await expect(log.flush()).rejects.toThrow('connection refused');
    expect(errors.length).toBeGreaterThan(0);
    expect(log.uncommittedFor('d')).toBe(5);
    expect(log.uncommittedFor('other')).toBe(0);
    log.append(doc, bytes(7));
    setDown(false);
    await log.flush();
    expect(table.map((r) => r.update[0])).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(log.uncommittedFor('d')).toBe(0);
  });

  it('retries by itself after a failure, without a flush() call', async () => {
    const { log, table, setDown } = setup();
    setDown(true);
    log.append({ id: 'd' }, bytes(1));
    await new Promise((r) => setTimeout(r, 50));
    expect(table).toEqual([]);
    setDown(false);
    await vi.waitFor(() => expect(table.length).toBe(1), { timeout: 3_000 });
  });

  it('counts an update being written as uncommitted until its write ends', async () => {
    const { log } = setup();
    log.append({ id: 'd' }, bytes(1));
    const flushing = log.flush();
    expect(log.uncommittedFor('d')).toBe(1);
    await flushing;
    expect(log.uncommittedFor('d')).toBe(0);
  });
});
