import type { Child } from '../lib/child';
import {
  seed,
  sleep,
  startClients,
  startReference,
  startStukwerk,
  type Backend,
  type Options,
  type Server,
} from '../lib/harness';
import { fmtBytes, fmtMs, fmtRatio, median, type Table } from '../lib/stats';
import { stateFromJSON } from '../../server/content/prosemirror';
import { demoMemo } from '../../server/demo/memo';

type Open = { ok: boolean; ms: number; bytes: number; index?: number };

/**
 * Scenario 4: from connection to synced, for the demo memo and a 300-page voorstel written by many small edits.
 * "wire" is a raw WebSocket that sends sync step 1 on open and stops the clock when the server's sync step 2 (the
 * whole document) arrives: the server-side time (upgrade, session and role check, load, encode) plus loopback.
 * "provider" is a stock y-websocket provider until its `synced` (including the client applying the document).
 * Cold: the document is not in memory and is loaded from storage, from a compacted snapshot, or from the template
 * snapshot plus an uncompacted log of every edit. Warm: another client holds it open. The reference has no
 * storage, so it only has warm opens.
 */
export async function coldOpen(opts: Options, backends: Backend[], log: (s: string) => void): Promise<Table> {
  const reps = opts.quick ? 3 : 5;
  const paragraphs = 3000;
  const wordsPerParagraph = 50;
  const rows: string[][] = [];
  const refWarm = new Map<string, { wire: number; provider: number }>();
  let built: { updates: Uint8Array[]; words: number; bytes: number } | undefined;

  const opens = async (
    clients: Child,
    server: Server,
    doc: string,
    cookie: string | undefined,
    prepare: () => Promise<unknown>,
    after: () => Promise<unknown>,
  ) => {
    const wire: number[] = [];
    const provider: number[] = [];
    let bytes = 0;
    for (let r = 0; r < reps; r++) {
      await prepare();
      const raw = await clients.call<Open>('openRaw', { url: server.url, doc, cookie, timeoutMs: 30_000 });
      if (!raw.ok) throw new Error(`${server.label}: wire open of ${doc} failed`);
      wire.push(raw.ms);
      await after();
      await prepare();
      const p = await clients.call<Open>('open', { url: server.url, doc, cookie, timeoutMs: 30_000 });
      if (!p.ok) throw new Error(`${server.label}: provider open of ${doc} failed`);
      provider.push(p.ms);
      bytes = p.bytes;
      await clients.call('destroy', { indexes: [p.index] });
      await after();
    }
    return { wire: median(wire), provider: median(provider), bytes };
  };

  // The reference first: it builds the same voorstel (same generator) and gives the warm baseline.
  {
    const server = await startReference();
    const clients = await startClients();
    const memoState = stateFromJSON(demoMemo().doc);
    const memoDoc = `memo-${Date.now()}`;
    const bigDoc = `voorstel-${Date.now()}`;
    await clients.call('connect', { url: server.url, clients: [{ doc: memoDoc }], preload: memoState });
    const { first: builder } = await clients.call<{ first: number }>('connect', {
      url: server.url,
      clients: [{ doc: bigDoc }],
      preload: memoState,
    });
    const b = await clients.call<{ updates: Uint8Array[]; words: number; bytes: number; ms: number }>(
      'build',
      { index: builder, paragraphs, wordsPerParagraph, yieldEvery: 10 },
      300_000,
    );
    await sleep(500);
    const none = async () => {};
    for (const [name, doc] of [
      ['demo memo', memoDoc],
      ['300-page voorstel', bigDoc],
    ] as const) {
      const w = await opens(clients, server, doc, undefined, none, none);
      refWarm.set(name, w);
      rows.push([name, fmtBytes(w.bytes), 'reference', 'in memory', fmtMs(w.wire), fmtMs(w.provider), '1.00×']);
      log(`  reference ${name}: wire ${fmtMs(w.wire)} provider ${fmtMs(w.provider)}`);
    }
    log(`  (built ${b.words} words in ${b.updates.length} updates, ${fmtBytes(b.bytes)})`);
    await clients.stop();
    await server.child.stop();
  }

  for (const backend of backends) {
    const server = await startStukwerk(backend);
    const clients = await startClients();
    const seeded = await seed(server, { users: 3, documents: 2, usersPerDocument: 3, content: 'memo' });
    const [memoDoc, bigDoc] = seeded.documentIds as [string, string];
    const cookie = seeded.cookies[0];
    const unloaded = (doc: string) => () => server.child.call('waitUnloaded', { documentId: doc, timeoutMs: 30_000 });
    const none = async () => {};
    const label = `Stukwerk (${backend.name})`;
    const add = (name: string, state: string, w: { wire: number; provider: number; bytes: number }) => {
      const ref = refWarm.get(name) ?? { wire: NaN, provider: NaN };
      rows.push([name, fmtBytes(w.bytes), label, state, fmtMs(w.wire), fmtMs(w.provider), fmtRatio(w.wire, ref.wire)]);
      log(`  ${label} ${name} ${state}: wire ${fmtMs(w.wire)} provider ${fmtMs(w.provider)}`);
    };

    add(
      'demo memo',
      'cold, snapshot',
      await opens(clients, server, memoDoc, cookie, unloaded(memoDoc), unloaded(memoDoc)),
    );

    // Write the voorstel through the real path: many small updates, group-committed, compacted every 500.
    const { first: idx } = await clients.call<{ first: number }>('connect', {
      url: server.url,
      clients: [{ doc: bigDoc, cookie }],
    });
    const before = await server.child.call<{ stats: { compactions: number } }>('metrics', { reset: false });
    const b = await clients.call<{ updates: Uint8Array[]; words: number; bytes: number; ms: number }>(
      'build',
      { index: idx, paragraphs, wordsPerParagraph, yieldEvery: 10 },
      300_000,
    );
    built ??= b;
    await server.child.call('commits', { flush: true });
    await sleep(300);
    await clients.call('destroy', {});
    await unloaded(bigDoc)();
    const after = await server.child.call<{ stats: { compactions: number } }>('metrics', { reset: false });
    const storage = await server.child.call<{ stateBytes: number; jsonBytes: number; textBytes: number }>(
      'storage',
      bigDoc,
    );
    log(
      `  ${label}: wrote ${b.words} words in ${b.updates.length} updates (${fmtMs(b.ms)} client-side), ${after.stats.compactions - before.stats.compactions} compactions; snapshot ${fmtBytes(storage.stateBytes)} state + ${fmtBytes(storage.jsonBytes)} JSON + ${fmtBytes(storage.textBytes)} text`,
    );

    add(
      '300-page voorstel',
      'cold, snapshot',
      await opens(clients, server, bigDoc, cookie, unloaded(bigDoc), unloaded(bigDoc)),
    );
    const loadSnapshot = await server.child.call<{ ms: number }>('loadTime', bigDoc);

    const restoreLog = async () => {
      await unloaded(bigDoc)();
      await server.child.call(
        'replaceWithLog',
        { documentId: bigDoc, base: seeded.initialState, updates: b.updates },
        120_000,
      );
    };
    add(
      '300-page voorstel',
      `cold, log of ${b.updates.length}`,
      await opens(clients, server, bigDoc, cookie, restoreLog, unloaded(bigDoc)),
    );
    await restoreLog();
    const loadLog = await server.child.call<{ ms: number; logUpdates: number }>('loadTime', bigDoc);

    // Warm: one client keeps the document open.
    await clients.call('connect', { url: server.url, clients: [{ doc: bigDoc, cookie: seeded.cookies[1] }] });
    add('300-page voorstel', 'warm (in memory)', await opens(clients, server, bigDoc, cookie, none, none));
    await clients.call('connect', { url: server.url, clients: [{ doc: memoDoc, cookie: seeded.cookies[1] }] });
    add('demo memo', 'warm (in memory)', await opens(clients, server, memoDoc, cookie, none, none));
    log(
      `  ${label}: server-side load of the voorstel from storage alone: snapshot ${fmtMs(loadSnapshot.ms)}, template + log of ${loadLog.logUpdates} ${fmtMs(loadLog.ms)}`,
    );
    rows.push([
      '300-page voorstel',
      '',
      label,
      'load from storage only',
      `snapshot ${fmtMs(loadSnapshot.ms)}`,
      `log ${fmtMs(loadLog.ms)}`,
      '',
    ]);
    await clients.stop();
    await server.child.stop();
  }
  return {
    title: '4. Cold open',
    note: `Time from connecting to synced, median of ${reps}. The voorstel: the demo memo plus ${paragraphs} paragraphs of ${wordsPerParagraph} words (${built ? built.words.toLocaleString('en') : '150,000'} words, ~300 pages) written by ${built?.updates.length ?? 'many'} small updates through the server (each paragraph started, then finished; a heading every 30). "wire": raw WebSocket until the server's sync step 2 has arrived (server-side time plus loopback); "provider": stock y-websocket provider until synced, applying included. Ratio: wire time against the reference's warm open.`,
    header: ['document', 'size', 'server', 'state', 'wire (server-side)', 'provider', 'wire vs reference'],
    rows,
  };
}
