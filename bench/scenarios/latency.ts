import {
  clientsFor,
  seed,
  startClients,
  startReference,
  startStukwerk,
  type Backend,
  type Options,
  type Server,
} from '../lib/harness';
import { fmtMs, fmtPct, fmtRatio, median, type Table } from '../lib/stats';

interface Point {
  p50: number;
  p99: number;
  max: number;
  fraction: number;
  eldP99: number;
}

/** Medians over repetitions of what one burst measured. */
function med(points: Point[]): Point {
  return {
    p50: median(points.map((p) => p.p50)),
    p99: median(points.map((p) => p.p99)),
    max: median(points.map((p) => p.max)),
    fraction: median(points.map((p) => p.fraction)),
    eldP99: median(points.map((p) => p.eldP99)),
  };
}

/** Scenario 1: one writer, N − 1 receivers in one document. */
export async function editToRemote(opts: Options, backends: Backend[], log: (s: string) => void): Promise<Table> {
  const sizes = opts.sizes ?? (opts.quick ? [2, 20, 50, 100] : [2, 20, 50, 100, 250, 500]);
  const reps = opts.quick ? 3 : 5;
  const edits = opts.quick ? 10 : 20;
  const results = new Map<string, Map<number, Point>>();

  const run = async (server: Server) => {
    const clients = await startClients();
    const byN = new Map<number, Point>();
    results.set(server.label, byN);
    for (const n of sizes) {
      const seeded = await seed(server, { users: n, documents: 1, usersPerDocument: n, content: 'blank' });
      const first = (
        await clients.call<{ first: number; ok: boolean }>('connect', {
          url: server.url,
          clients: clientsFor(seeded, n),
          concurrency: 50,
        })
      ).first;
      await clients.call('burst', { writer: first, edits: 3, intervalMs: 20, graceMs: 2000 }); // warm-up
      const points: Point[] = [];
      for (let r = 0; r < reps; r++) {
        await server.child.call('metrics', { reset: true });
        const res = await clients.call<Point>('burst', { writer: first, edits, intervalMs: 50, graceMs: 5000 });
        const m = await server.child.call<{ eldP99: number }>('metrics', { reset: true });
        points.push({ ...res, eldP99: m.eldP99 });
      }
      const p = med(points);
      byN.set(n, p);
      log(
        `  ${server.label} N=${n}: p50 ${fmtMs(p.p50)} p99 ${fmtMs(p.p99)} max ${fmtMs(p.max)} delivered ${fmtPct(p.fraction)}`,
      );
      await clients.call('destroy');
    }
    await clients.stop();
    await server.child.stop();
  };

  await run(await startReference());
  for (const b of backends) await run(await startStukwerk(b));

  const ref = results.get('reference')!;
  const rows: string[][] = [];
  for (const n of sizes) {
    for (const [label, byN] of results) {
      const p = byN.get(n)!;
      const r = ref.get(n)!;
      rows.push([
        String(n),
        label,
        fmtMs(p.p50),
        fmtMs(p.p99),
        fmtMs(p.max),
        fmtPct(p.fraction),
        fmtMs(p.eldP99),
        label === 'reference' ? '1.00×' : fmtRatio(p.p99, r.p99),
      ]);
    }
  }
  return {
    title: '1. Edit-to-remote latency, one writer',
    note: `N stock y-websocket providers in one document; one types ${edits} small edits 50 ms apart, the others receive. Median of ${reps} repetitions of p50/p99/max over every (edit, receiver) pair; "loop p99" is the server's event-loop delay p99 during the burst.`,
    header: ['N', 'server', 'p50', 'p99', 'max', 'delivered', 'loop p99', 'p99 vs reference'],
    rows,
  };
}

/** Scenario 2: everyone types 5 edits a second, each with a caret move; N rises until p99 passes 100 ms. */
export async function everyoneTyping(opts: Options, backends: Backend[], log: (s: string) => void): Promise<Table> {
  const ramp = opts.quick ? [25, 50, 100, 150, 200] : [25, 50, 75, 100, 150, 200, 250, 300, 400];
  const windows = opts.quick ? 1 : 3;
  const durationMs = 3000;
  /** Stock providers per document (they type and measure); the rest are light typists (see clients-child.ts). */
  const stock = 20;
  const rows: string[][] = [];
  const sustained = new Map<string, number>();

  const run = async (server: Server) => {
    const clients = await startClients();
    let best = 0;
    for (const n of ramp) {
      const seeded = await seed(server, { users: n, documents: 1, usersPerDocument: n, content: 'blank' });
      const all = clientsFor(seeded, n);
      const t0 = Date.now();
      await clients.call(
        'connect',
        { url: server.url, clients: all.slice(0, stock), concurrency: 50, timeoutMs: 60_000 },
        120_000,
      );
      await clients.call('connectLight', { url: server.url, clients: all.slice(stock), timeoutMs: 60_000 }, 120_000);
      const conn = { ms: Date.now() - t0 };
      await clients.call('typing', { rate: 5, durationMs: 1000, graceMs: 1000, awareness: true }, 60_000); // warm-up, not measured
      const points: (Point & { late: number; clientLoop: number })[] = [];
      for (let w = 0; w < windows; w++) {
        await server.child.call('metrics', { reset: true });
        const res = await clients.call<Point & { generatorLate: number; clientLoopP99: number }>(
          'typing',
          { rate: 5, durationMs, graceMs: 3000, awareness: true },
          60_000,
        );
        const m = await server.child.call<{ eldP99: number; cpuMs: number; wallMs: number }>('metrics', {
          reset: true,
        });
        points.push({ ...res, eldP99: m.eldP99, late: res.generatorLate, clientLoop: res.clientLoopP99 });
      }
      const p = med(points);
      const ok = p.p99 < 100 && p.fraction >= 0.99;
      if (ok) best = n;
      const late = median(points.map((x) => x.late));
      const clientLoop = median(points.map((x) => x.clientLoop));
      rows.push([
        String(n),
        server.label,
        fmtMs(p.p50),
        fmtMs(p.p99),
        fmtPct(p.fraction),
        fmtMs(p.eldP99),
        fmtMs(clientLoop),
        `${(conn.ms / 1000).toFixed(1)} s`,
        ok ? 'yes' : 'no',
      ]);
      log(
        `  ${server.label} N=${n}: p50 ${fmtMs(p.p50)} p99 ${fmtMs(p.p99)} delivered ${fmtPct(p.fraction)} loop p99 ${fmtMs(p.eldP99)} client loop p99 ${fmtMs(clientLoop)}${late ? ` (generator late ${late})` : ''}`,
      );
      await clients.call('destroy', {}, 60_000);
      if (!ok) break;
    }
    sustained.set(server.label, best);
    await clients.stop();
    await server.child.stop();
  };

  await run(await startReference());
  for (const b of backends) await run(await startStukwerk(b));
  rows.sort((a, b) => Number(a[0]) - Number(b[0]) || (a[1] === 'reference' ? -1 : 1));
  return {
    title: '2. Everyone typing',
    note: `N clients in one document, each typing 5 small edits a second and moving its caret (an awareness update) with each: ${stock} stock y-websocket providers, which type and measure the latency of every edit (theirs and everyone else's), and N − ${stock} light typists (raw WebSockets sending real Yjs updates and awareness states, not decoding what they receive; the server treats them exactly like providers), so that one load-generator process can drive them on two cores; ${windows} window(s) of ${durationMs / 1000} s per N, medians. N rises until p99 passes 100 ms or less than 99 % is delivered. "connect" is the time for all N to connect and sync. "clients loop p99" is the load generator's own event-loop delay: when it is near the latency, the clients, not the server, are the limit.`,
    header: [
      'N',
      'server',
      'p50',
      'p99',
      'delivered',
      'server loop p99',
      'clients loop p99',
      'connect',
      'p99 < 100 ms',
    ],
    rows,
    footer: [...sustained].map(
      ([label, n]) =>
        `- Largest N sustained by ${label}: **${n || '< ' + ramp[0]}**${n === ramp[ramp.length - 1] ? ' (the top of the ramp)' : ''}`,
    ),
  };
}
