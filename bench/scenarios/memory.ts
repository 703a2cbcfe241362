import {
  clientsFor,
  seed,
  sleep,
  startClients,
  startReference,
  startStukwerk,
  type Backend,
  type Options,
  type Server,
} from '../lib/harness';
import { fmtBytes, type Table } from '../lib/stats';
import { stateFromJSON } from '../../server/content/prosemirror';
import { demoMemo } from '../../server/demo/memo';

interface Mem {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  documents: number;
}

/**
 * Scenario 5: resident memory per open idle document and per connected client. With D documents (the demo memo):
 * one client on each (document + first client), then a second client on each (per client); the document's own
 * share is the difference. Measured after a full garbage collection in the server process. Then everyone leaves
 * and, once the documents have unloaded, what is still held is reported.
 */
export async function memory(opts: Options, backends: Backend[], log: (s: string) => void): Promise<Table> {
  const levels = opts.quick ? [1, 100, 300] : [1, 100, 1000];
  const memo = stateFromJSON(demoMemo().doc);
  const rows: string[][] = [];
  const heap = (m: Mem) => m.heapUsed + m.external;

  const run = async (server: Server, d: number) => {
    const clients = await startClients();
    const seeded = await seed(server, { users: 2 * d, documents: d, usersPerDocument: 2, content: 'memo' });
    const all = clientsFor(seeded, 2);
    const first = all.filter((_, i) => i % 2 === 0);
    const second = all.filter((_, i) => i % 2 === 1);
    const base = await server.child.call<Mem>('memory');
    // The reference has no storage: the first client brings the memo with it (sync step 2).
    await clients.call(
      'connect',
      {
        url: server.url,
        clients: first,
        concurrency: 100,
        preload: server.kind === 'reference' ? memo : undefined,
        timeoutMs: 120_000,
      },
      180_000,
    );
    await sleep(500);
    const one = await server.child.call<Mem>('memory');
    await clients.call('connect', { url: server.url, clients: second, concurrency: 100, timeoutMs: 120_000 }, 180_000);
    await sleep(500);
    const two = await server.child.call<Mem>('memory');
    await clients.call('destroy', {}, 120_000);
    if (server.kind === 'stukwerk')
      for (const id of seeded.documentIds)
        await server.child.call('waitUnloaded', { documentId: id, timeoutMs: 60_000 }, 90_000);
    else await sleep(1500);
    const left = await server.child.call<Mem>('memory');
    const perClient = { rss: (two.rss - one.rss) / d, heap: (heap(two) - heap(one)) / d };
    const perDoc = {
      rss: (one.rss - base.rss) / d - perClient.rss,
      heap: (heap(one) - heap(base)) / d - perClient.heap,
    };
    rows.push([
      String(d),
      server.label,
      fmtBytes(perDoc.heap),
      fmtBytes(perDoc.rss),
      fmtBytes(perClient.heap),
      fmtBytes(perClient.rss),
      fmtBytes(two.rss),
      `${left.documents} docs, heap ${fmtBytes(heap(left) - heap(base))}, RSS ${fmtBytes(left.rss - base.rss)}`,
    ]);
    log(
      `  ${server.label} D=${d}: per document ${fmtBytes(perDoc.heap)} heap / ${fmtBytes(perDoc.rss)} RSS; per client ${fmtBytes(perClient.heap)} heap / ${fmtBytes(perClient.rss)} RSS; after all left: ${left.documents} documents, heap +${fmtBytes(heap(left) - heap(base))}`,
    );
    await clients.stop();
  };

  for (const d of levels) {
    for (const make of [() => startReference(), () => startStukwerk(backends[0]!)]) {
      const server = await make();
      await run(server, d);
      await server.child.stop();
    }
  }
  return {
    title: '5. Memory',
    note: `D documents (the demo memo, ${fmtBytes(memo.byteLength)} of Yjs state each) each opened by one idle client, then a second idle client each; measured after a full GC in the server process. "heap" is V8 heap plus external buffers, "RSS" the resident set. At D = 1 the numbers are within noise. "After all left": what the server holds once every client disconnected (Stukwerk: after the documents were flushed, compacted and unloaded; the reference keeps documents forever), relative to before.`,
    header: [
      'D',
      'server',
      'per document (heap)',
      'per document (RSS)',
      'per client (heap)',
      'per client (RSS)',
      'RSS total',
      'after all left',
    ],
    rows,
  };
}
