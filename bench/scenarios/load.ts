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
import { fmtMs, fmtPct, fmtRatio, median, type Table } from '../lib/stats';
import { stateFromJSON } from '../../server/content/prosemirror';
import { demoMemo } from '../../server/demo/memo';

/** Scenario 6: many documents with a few people each, all typing slowly. */
export async function manyDocuments(opts: Options, backends: Backend[], log: (s: string) => void): Promise<Table> {
  const docs = opts.quick ? 50 : 200;
  const perDoc = 5;
  const windows = opts.quick ? 1 : 2;
  const durationMs = opts.quick ? 4000 : 6000;
  const rate = 1;
  const rows: string[][] = [];
  const results = new Map<string, { p99: number }>();
  for (const make of [() => startReference(), () => startStukwerk(backends[0]!)]) {
    const server: Server = await make();
    const clients = await startClients();
    const seeded = await seed(server, {
      users: docs * perDoc,
      documents: docs,
      usersPerDocument: perDoc,
      content: 'blank',
    });
    const conn = await clients.call<{ ms: number }>(
      'connect',
      { url: server.url, clients: clientsFor(seeded, perDoc), concurrency: 100, timeoutMs: 120_000 },
      180_000,
    );
    const p50: number[] = [];
    const p99: number[] = [];
    const frac: number[] = [];
    const cpu: number[] = [];
    const eld: number[] = [];
    for (let w = 0; w < windows; w++) {
      await server.child.call('metrics', { reset: true });
      const r = await clients.call<{ p50: number; p99: number; fraction: number }>(
        'typing',
        { rate, durationMs, graceMs: 3000, awareness: true },
        60_000,
      );
      const m = await server.child.call<{ cpuMs: number; wallMs: number; eldP99: number }>('metrics', { reset: true });
      p50.push(r.p50);
      p99.push(r.p99);
      frac.push(r.fraction);
      cpu.push(m.cpuMs / m.wallMs);
      eld.push(m.eldP99);
    }
    const p = { p50: median(p50), p99: median(p99), fraction: median(frac), cpu: median(cpu), eld: median(eld) };
    results.set(server.label, p);
    const ref = results.get('reference');
    rows.push([
      server.label,
      fmtMs(p.p50),
      fmtMs(p.p99),
      fmtPct(p.fraction),
      `${(p.cpu * 100).toFixed(0)} %`,
      fmtMs(p.eld),
      `${(conn.ms / 1000).toFixed(1)} s`,
      ref && server.kind !== 'reference' ? fmtRatio(p.p99, ref.p99) : '1.00×',
    ]);
    log(
      `  ${server.label}: p50 ${fmtMs(p.p50)} p99 ${fmtMs(p.p99)} delivered ${fmtPct(p.fraction)} CPU ${(p.cpu * 100).toFixed(0)} % loop p99 ${fmtMs(p.eld)}`,
    );
    await clients.stop();
    await server.child.stop();
  }
  return {
    title: '6. Many documents',
    note: `${docs} documents × ${perDoc} clients (${docs * perDoc} connections), each typing ${rate} edit a second with a caret move; ${windows} window(s) of ${durationMs / 1000} s, medians. CPU: the server process's CPU time over wall time (100 % = one core).`,
    header: ['server', 'p50', 'p99', 'delivered', 'server CPU', 'loop p99', 'connect', 'p99 vs reference'],
    rows,
  };
}

/**
 * Scenario 7: a server restart with 200 clients on one document. Stukwerk closes gracefully (1001, everything
 * flushed) and a new process opens the same database on the same port; the reference process just exits (it has
 * nothing to save) and a new one starts. The stock providers reconnect with their own backoff (100 ms doubling,
 * at most 2.5 s) and re-sync; the reference gets the document back from the clients.
 */
export async function reconnectStorm(opts: Options, backends: Backend[], log: (s: string) => void): Promise<Table> {
  const n = opts.quick ? 100 : 200;
  const reps = opts.quick ? 1 : 2;
  const rows: string[][] = [];
  const memo = stateFromJSON(demoMemo().doc);
  for (const kind of ['reference', 'stukwerk'] as const) {
    let server: Server & { target?: import('../../db/client').DatabaseTarget; authSecret?: string } =
      kind === 'reference' ? await startReference() : await startStukwerk(backends[0]!);
    const clients = await startClients();
    const seeded = await seed(server, { users: n, documents: 1, usersPerDocument: n, content: 'memo' });
    await clients.call(
      'connect',
      {
        url: server.url,
        clients: clientsFor(seeded, n),
        concurrency: 50,
        preload: kind === 'reference' ? memo : undefined,
        timeoutMs: 60_000,
      },
      120_000,
    );
    await clients.call('typing', { rate: 2, durationMs: 1000, graceMs: 1000, awareness: true });
    const total: number[] = [];
    const fromReady: number[] = [];
    const down: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t0 = await clients.call<number>('now');
      const port = server.port;
      await server.child.stop();
      const tDown = await clients.call<number>('now');
      server =
        kind === 'reference'
          ? await startReference({ port })
          : await startStukwerk(backends[0]!, {
              port,
              reuse: { target: server.target!, authSecret: server.authSecret! },
            });
      const tReady = await clients.call<number>('now');
      const res = await clients.call<{ ok: boolean; at: number; synced: number; total: number }>(
        'waitAllSynced',
        { timeoutMs: 60_000 },
        90_000,
      );
      if (!res.ok) log(`  ${server.label}: only ${res.synced}/${res.total} re-synced within 60 s`);
      total.push(res.at - t0);
      fromReady.push(res.at - tReady);
      down.push(tReady - tDown);
      await sleep(500);
    }
    const label = kind === 'reference' ? 'reference' : `Stukwerk (${backends[0]!.name})`;
    rows.push([label, String(n), fmtMs(median(down)), fmtMs(median(fromReady)), fmtMs(median(total))]);
    log(
      `  ${label}: ${n} clients; restart ${fmtMs(median(down))}, ready → all synced ${fmtMs(median(fromReady))}, total ${fmtMs(median(total))}`,
    );
    await clients.stop();
    await server.child.stop();
  }
  return {
    title: '7. Reconnect storm',
    note: `${n} clients on one document (the demo memo); the server process is stopped and a new one started on the same port (Stukwerk on the same database), ${reps} time(s), medians. "restart": from the old process's stop to the new one listening (Stukwerk: flush, compaction and database reopen included). The providers reconnect with y-websocket's stock backoff (up to 2.5 s), so "ready → all synced" includes up to one backoff interval.`,
    header: ['server', 'clients', 'restart', 'ready → all synced', 'total'],
    rows,
  };
}
