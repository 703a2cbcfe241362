import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { wsBase } from './collab';

/**
 * Edit round trips in a document, measured from a thread of their own (edit-probe-thread.mjs): a writer's edit
 * until a reader has it, through the server. Used while the server is busy with something else, to see whether
 * that work holds up editing.
 */
export interface EditProbeResult {
  sent: number;
  latencies: number[];
}

export async function startEditProbe(serverUrl: string, documentId: string, cookie: string, intervalMs = 50) {
  const worker = new Worker(new URL('./edit-probe-thread.mjs', import.meta.url), {
    workerData: { serverUrl: wsBase(serverUrl), documentId, cookie, intervalMs },
  });
  const failed = once(worker, 'error').then(([err]) => Promise.reject(err as Error));
  failed.catch(() => {}); // raced below; an error after the result is not this probe's business
  await Promise.race([once(worker, 'message'), failed]); // {ready: true}
  return {
    async stop(): Promise<EditProbeResult> {
      const result = once(worker, 'message');
      worker.postMessage('stop');
      const [msg] = (await Promise.race([result, failed])) as [EditProbeResult];
      await worker.terminate();
      return msg;
    },
  };
}
