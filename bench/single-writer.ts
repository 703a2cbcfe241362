/**
 * `npx tsx bench/single-writer.ts [--runs=5] [--sizes=50,100] [--postgres]`: one writer, N − 1 receivers in one
 * document, Stukwerk (PGlite, or PostgreSQL with --postgres and BENCH_DATABASE_URL) against the bare reference
 * server. Unlike scenario 1 of `npm run bench`, both servers and their clients stay up for the whole run and every
 * run measures them back to back (alternating which goes first), so that the load of a shared machine falls on both
 * alike. Reports each run's p99 edit-to-remote and the median of the runs; writes results/single-writer.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopAllChildren, type Child } from './lib/child';
import {
  clientsFor,
  makeBackends,
  makeWorkDir,
  runCleanups,
  seed,
  startClients,
  startReference,
  startStukwerk,
  type Server,
} from './lib/harness';
import { fmtMs, fmtRatio, median, renderTable } from './lib/stats';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const runs = Number(arg('runs') ?? 5);
const sizes = (arg('sizes') ?? '50,100').split(',').map(Number);
const postgres = process.argv.includes('--postgres');
/** `--receivers=raw`: the N − 1 receivers are measuring raw WebSockets instead of stock providers (see below). */
const rawReceivers = arg('receivers') === 'raw';
const edits = Number(arg('edits') ?? 20);

async function main() {
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const loadAtStart = load();
  const workDir = makeWorkDir();
  const backends = await makeBackends(workDir, postgres ? process.env.BENCH_DATABASE_URL : undefined);
  const backend = backends[postgres ? 1 : 0];
  if (!backend) throw new Error('--postgres needs BENCH_DATABASE_URL');
  type Side = { server: Server; clients: Child; writers: Map<number, number> };
  const sides: Side[] = [];
  for (const server of [await startReference(), await startStukwerk(backend)]) {
    const clients = await startClients(`clients of ${server.label}`);
    const writers = new Map<number, number>();
    for (const n of sizes) {
      const seeded = await seed(server, { users: n, documents: 1, usersPerDocument: n, content: 'blank' });
      const all = clientsFor(seeded, n);
      const { first } = await clients.call<{ first: number }>(
        'connect',
        { url: server.url, clients: rawReceivers ? all.slice(0, 1) : all, concurrency: 50 },
        120_000,
      );
      if (rawReceivers)
        await clients.call('connectLight', { url: server.url, clients: all.slice(1), measure: true }, 120_000);
      await clients.call('burst', { writer: first, edits: 3, intervalMs: 20, graceMs: 2000 }); // warm-up
      writers.set(n, first);
    }
    sides.push({ server, clients, writers });
  }
  const p99 = new Map<string, number[]>();
  /** The server process's CPU time per edit (all threads: with PGlite its database thread counts too). */
  const cpu = new Map<string, number[]>();
  for (let r = 0; r < runs; r++) {
    for (const n of sizes) {
      const order = r % 2 ? [...sides].reverse() : sides;
      for (const side of order) {
        await side.server.child.call('metrics', { reset: true });
        const res = await side.clients.call<{ p50: number; p99: number; max: number; fraction: number }>('burst', {
          writer: side.writers.get(n),
          edits,
          intervalMs: 50,
          graceMs: 5000,
        });
        const m = await side.server.child.call<{ cpuMs: number }>('metrics', { reset: true });
        const key = `${side.server.label}|${n}`;
        p99.set(key, [...(p99.get(key) ?? []), res.p99]);
        cpu.set(key, [...(cpu.get(key) ?? []), m.cpuMs / edits]);
        console.log(
          `run ${r + 1} N=${n} ${side.server.label}: p50 ${fmtMs(res.p50)} p99 ${fmtMs(res.p99)} max ${fmtMs(res.max)} (delivered ${res.fraction})`,
        );
      }
    }
  }
  const rows = sizes.flatMap((n) => {
    const ref = median(p99.get(`reference|${n}`)!);
    return sides.map(({ server }) => {
      const all = p99.get(`${server.label}|${n}`)!;
      return [
        String(n),
        server.label,
        all.map(fmtMs).join(', '),
        fmtMs(median(all)),
        server.kind === 'reference' ? '1.00×' : fmtRatio(median(all), ref),
        fmtMs(median(cpu.get(`${server.label}|${n}`)!)),
      ];
    });
  });
  const table = renderTable({
    title: 'One writer: Stukwerk against the reference, back to back',
    note: `${rawReceivers ? 'One stock provider types, N − 1 raw WebSockets receive and time the arrival of each update frame (no Yjs apply on the receiving side, so the generator adds little); ' : 'N stock providers in one document, '}one types ${edits} small edits 50 ms apart; p99 edit-to-remote over every (edit, receiver) pair of a run; ${runs} runs, each measuring both servers back to back (alternating order), both up with their clients connected throughout. Server CPU per edit: the server process's CPU time during a run over its edits (every thread: with PGlite the database thread counts too), which a busy machine distorts far less than latency. ${new Date().toISOString()}, load average at start ${loadAtStart}, at the end ${load()} (2 cores shared with other work).`,
    header: ['N', 'server', `p99 of each run`, 'median p99', 'vs reference', 'server CPU per edit'],
    rows,
  });
  console.log('\n' + table);
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `single-writer-${backend.name.toLowerCase()}${rawReceivers ? '-raw' : ''}.md`), table);
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(async () => {
    await stopAllChildren();
    await runCleanups();
  });
