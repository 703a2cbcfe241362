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
import { fmtBytes, fmtMs, fmtRatio, type Table } from '../lib/stats';

interface Trace {
  updates: Uint8Array[];
  floorMs: number;
  applyMs: number;
  loadMs: number;
  stateBytes: number;
  length: number;
  clientId: number;
  clock: number;
}

/**
 * Scenario 8: the CRDT floor. No package here ships the public LaTeX-paper trace, so a trace of the same size is
 * generated (182,315 single-character insertions and 77,463 deletions, typing at a cursor with jumps and
 * backspace runs; 10 keystrokes per update). It is replayed by one client through the server while a second client
 * waits for all of it; Stukwerk applies, group-commits and compacts it as in production. Floor: the same updates
 * made and applied locally, with no network and no server.
 */
export async function crdtFloor(opts: Options, backends: Backend[], log: (s: string) => void): Promise<Table> {
  const scale = opts.quick ? 0.1 : 1;
  const inserts = Math.round(182_315 * scale);
  const deletes = Math.round(77_463 * scale);
  const batch = 10;
  const rows: string[][] = [];
  const gen = await startClients('trace generator');
  const trace = await gen.call<Trace>('trace', { inserts, deletes, batch }, 300_000);
  await gen.stop();
  log(
    `  trace: ${inserts + deletes} operations in ${trace.updates.length} updates; made locally in ${fmtMs(trace.floorMs)}, applied remotely in ${fmtMs(trace.applyMs)}; final text ${trace.length} characters, state ${fmtBytes(trace.stateBytes)}`,
  );
  rows.push(['floor (local Y.Doc)', fmtMs(trace.applyMs), '', fmtBytes(trace.stateBytes), fmtMs(trace.loadMs), '']);

  let refMs = NaN;
  const replay = async (server: Server) => {
    const clients = await startClients();
    const seeded = await seed(server, { users: 2, documents: 1, usersPerDocument: 2, content: 'blank' });
    const doc = seeded.documentIds[0]!;
    await clients.call('connect', {
      url: server.url,
      clients: [
        { doc, cookie: seeded.cookies[0] },
        { doc, cookie: seeded.cookies[1] },
      ],
    });
    await server.child.call('metrics', { reset: true });
    const t0 = await clients.call<number>('now');
    await clients.call('push', { index: 0, updates: trace.updates, pauseEveryMs: 50 }, 600_000);
    const done = await clients.call<{ ok: boolean; ms: number }>(
      'waitConverged',
      { indexes: [1], clientId: trace.clientId, target: trace.clock, timeoutMs: 300_000 },
      330_000,
    );
    const t1 = await clients.call<number>('now');
    const m = await server.child.call<{ cpuMs: number; stats?: { compactions: number } }>('metrics', { reset: true });
    if (!done.ok) throw new Error(`${server.label}: the trace did not arrive`);
    const ms = t1 - t0;
    return { clients, doc, ms, cpuMs: m.cpuMs, compactions: m.stats?.compactions ?? 0 };
  };

  {
    const server = await startReference();
    const r = await replay(server);
    refMs = r.ms;
    rows.push(['reference', fmtMs(r.ms), `${fmtMs(r.cpuMs)} CPU`, '— (keeps nothing)', '—', '1.00×']);
    log(`  reference: replayed in ${fmtMs(r.ms)} (server CPU ${fmtMs(r.cpuMs)})`);
    await r.clients.stop();
    await server.child.stop();
  }
  for (const backend of backends) {
    const server = await startStukwerk(backend);
    const r = await replay(server);
    await server.child.call('commits', { flush: true });
    const logged = await server.child.call<{ logRows: number; logBytes: number; stateBytes: number }>('storage', r.doc);
    await r.clients.call('destroy', {});
    await server.child.call('waitUnloaded', { documentId: r.doc, timeoutMs: 60_000 }, 90_000);
    await sleep(100);
    const stored = await server.child.call<{
      stateBytes: number;
      jsonBytes: number;
      textBytes: number;
      logRows: number;
    }>('storage', r.doc);
    const load = await server.child.call<{ ms: number }>('loadTime', r.doc);
    const label = `Stukwerk (${backend.name})`;
    rows.push([
      label,
      fmtMs(r.ms),
      `${fmtMs(r.cpuMs)} CPU, ${r.compactions} compactions`,
      `${fmtBytes(stored.stateBytes)} state + ${fmtBytes(stored.jsonBytes)} JSON + ${fmtBytes(stored.textBytes)} text (log before unload: ${logged.logRows} rows, ${fmtBytes(logged.logBytes)})`,
      fmtMs(load.ms),
      fmtRatio(r.ms, refMs),
    ]);
    log(
      `  ${label}: replayed in ${fmtMs(r.ms)} (server CPU ${fmtMs(r.cpuMs)}, ${r.compactions} compactions); stored ${fmtBytes(stored.stateBytes)} state; load ${fmtMs(load.ms)}`,
    );
    await r.clients.stop();
    await server.child.stop();
  }
  return {
    title: '8. The CRDT floor: an editing trace through the server',
    note: `A generated trace of ${(inserts + deletes).toLocaleString('en')} operations (${inserts.toLocaleString('en')} insertions, ${deletes.toLocaleString('en')} deletions${scale < 1 ? `, ${scale * 100} % of the LaTeX-paper trace's size in quick mode` : ', the size of the LaTeX-paper trace'}) in ${trace.updates.length.toLocaleString('en')} updates of ${batch} keystrokes, sent by one client; time until a second client has all of it. Stored: what the database holds after the document unloaded. Load: the server reading and applying it from storage.`,
    header: ['path', 'time', 'server work', 'stored', 'load', 'time vs reference'],
    rows,
  };
}
