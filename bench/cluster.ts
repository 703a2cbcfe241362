/**
 * `BENCH_DATABASE_URL=postgres://… [BENCH_REDIS_URL=redis://…] npx tsx bench/cluster.ts [--processes=1,2,4]`:
 * several Stukwerk processes on one PostgreSQL database and one Redis server (REDIS_URL mode), all on this machine.
 *
 * 1. Edit-to-remote across processes: 50 stock providers in one document, one writer on the first process; with one
 *    process everyone is on it (inside one process), with P > 1 the 49 receivers are spread evenly over the *other*
 *    processes, so every measured pair crosses Redis. p99 per run, median of the runs.
 * 2. Typists sustained: D documents × 5 stock providers, each typing one edit a second with a caret move, the
 *    clients of every document spread evenly over the processes (round robin, as a load balancer without affinity
 *    does: every process holds every document). D rises until p99 passes 100 ms or less than 99 % arrives.
 *
 * Everything (servers, clients, PostgreSQL, Redis) shares this machine's cores, so more processes add work (every
 * process applies every update of the documents it holds) without adding CPU: this measures the cost of the
 * cross-process path, not the capacity of several machines. Writes results/cluster.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopAllChildren } from './lib/child';
import { makeBackends, makeWorkDir, runCleanups, seed, startClients, startStukwerk, type Server } from './lib/harness';
import { fmtMs, fmtPct, fmtRatio, median, renderTable } from './lib/stats';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const counts = (arg('processes') ?? '1,2,4').split(',').map(Number);
const runs = Number(arg('runs') ?? 5);
const ramp = (arg('documents') ?? '20,40,60,80,120').split(',').map(Number);
const clientsPerDocument = 5;
const windowMs = Number(arg('window') ?? 4000);
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

async function startGroup(count: number) {
  const postgresUrl = process.env.BENCH_DATABASE_URL;
  if (!postgresUrl) throw new Error('several processes need PostgreSQL: set BENCH_DATABASE_URL');
  const backend = (await makeBackends(makeWorkDir(), postgresUrl))[1]!;
  // A channel prefix of this run's own: other users of the same Redis server never hear it.
  const redis = { url: redisUrl, channelPrefix: `bench-${randomBytes(4).toString('hex')}:` };
  const first = await startStukwerk(backend, { collab: { redis } });
  const servers: Server[] = [first];
  for (let i = 1; i < count; i++)
    servers.push(
      await startStukwerk(backend, {
        collab: { redis },
        reuse: { target: first.target, authSecret: first.authSecret },
      }),
    );
  return servers;
}

async function main() {
  const loadAtStart = load();
  const latency: string[][] = [];
  const typists: string[][] = [];
  const insideP99 = new Map<number, number>();
  const sustainedBy = new Map<number, number>();
  for (const count of counts) {
    const servers = await startGroup(count);
    const stop = async () => {
      for (const s of servers) await s.child.stop();
    };
    // 1. Edit-to-remote: the writer on the first process, the receivers on the others (or on it, alone).
    {
      const n = 50;
      const seeded = await seed(servers[0]!, { users: n, documents: 1, usersPerDocument: n, content: 'blank' });
      const clients = await startClients();
      const doc = seeded.documentIds[0]!;
      const { first: writer } = await clients.call<{ first: number }>('connect', {
        url: servers[0]!.url,
        clients: [{ doc, cookie: seeded.cookies[0] }],
      });
      const receivers = servers.length === 1 ? servers : servers.slice(1);
      for (let r = 0; r < receivers.length; r++) {
        const mine = seeded.cookies.slice(1).filter((_, i) => i % receivers.length === r);
        await clients.call(
          'connect',
          { url: receivers[r]!.url, clients: mine.map((cookie) => ({ doc, cookie })), concurrency: 50 },
          120_000,
        );
      }
      await clients.call('burst', { writer, edits: 3, intervalMs: 20, graceMs: 3000 }); // warm-up
      const p99s: number[] = [];
      const p50s: number[] = [];
      for (let r = 0; r < runs; r++) {
        const res = await clients.call<{ p50: number; p99: number }>('burst', {
          writer,
          edits: 20,
          intervalMs: 50,
          graceMs: 5000,
        });
        p99s.push(res.p99);
        p50s.push(res.p50);
      }
      const p99 = median(p99s);
      if (count === 1) insideP99.set(n, p99);
      const inside = insideP99.get(n);
      latency.push([
        String(count),
        count === 1 ? 'inside one process' : `across processes (receivers on ${count - 1} other)`,
        fmtMs(median(p50s)),
        p99s.map(fmtMs).join(', '),
        fmtMs(p99),
        inside ? fmtRatio(p99, inside) : '',
      ]);
      console.log(`${count} process(es): edit-to-remote p99 ${p99s.map(fmtMs).join(', ')}`);
      await clients.stop();
    }
    // 2. Typists sustained over many documents, each document's clients spread over every process.
    {
      let best = 0;
      for (const documents of ramp) {
        const seeded = await seed(servers[0]!, {
          users: documents * clientsPerDocument,
          documents,
          usersPerDocument: clientsPerDocument,
          content: 'blank',
        });
        const clients = await startClients();
        for (let s = 0; s < servers.length; s++) {
          const mine = seeded.documentIds.flatMap((doc, d) =>
            [...Array(clientsPerDocument).keys()]
              .filter((j) => j % servers.length === s)
              .map((j) => ({ doc, cookie: seeded.cookies[d * clientsPerDocument + j] })),
          );
          await clients.call(
            'connect',
            { url: servers[s]!.url, clients: mine, concurrency: 100, timeoutMs: 120_000 },
            180_000,
          );
        }
        const res = await clients.call<{ p50: number; p99: number; fraction: number; clientLoopP99: number }>(
          'typing',
          { rate: 1, durationMs: windowMs, graceMs: 3000, awareness: true },
          60_000,
        );
        const ok = res.p99 < 100 && res.fraction >= 0.99;
        const n = documents * clientsPerDocument;
        if (ok) best = n;
        typists.push([
          String(count),
          String(n),
          fmtMs(res.p50),
          fmtMs(res.p99),
          fmtPct(res.fraction),
          fmtMs(res.clientLoopP99),
          ok ? 'yes' : 'no',
        ]);
        console.log(
          `${count} process(es), ${n} typists: p99 ${fmtMs(res.p99)}, delivered ${fmtPct(res.fraction)}, generator loop p99 ${fmtMs(res.clientLoopP99)}`,
        );
        await clients.stop();
        if (!ok) break;
      }
      sustainedBy.set(count, best);
    }
    await stop();
  }
  const note = `${new Date().toISOString()} · every process, the load generator, PostgreSQL and Redis on one machine (2 cores, shared with other work: load average at start ${loadAtStart}, at the end ${load()}). Runs are kept short for that reason.`;
  const tables = [
    renderTable({
      title: 'Edit-to-remote across processes',
      note: `50 stock providers in one document, one writer on the first process typing 20 small edits 50 ms apart; with 1 process everyone is on it, with more the 49 receivers are spread evenly over the other processes (every measured pair crosses Redis). ${runs} runs. ${note}`,
      header: ['processes', 'path', 'p50 (median)', 'p99 of each run', 'median p99', 'vs one process'],
      rows: latency,
    }),
    renderTable({
      title: 'Typists sustained over many documents',
      note: `Documents × ${clientsPerDocument} stock providers, each typing one edit a second with a caret move for ${windowMs / 1000} s; each document's clients spread round robin over the processes (every process holds every document). The number of documents rises until p99 passes 100 ms or less than 99 % arrives. "generator loop p99": the load generator's own event-loop delay (when it is near the latency, the clients are the limit). ${note}`,
      header: ['processes', 'typists', 'p50', 'p99', 'delivered', 'generator loop p99', 'p99 < 100 ms'],
      rows: typists,
      footer: [...sustainedBy].map(
        ([count, n]) => `- Sustained by ${count} process(es): **${n || `< ${ramp[0]! * clientsPerDocument}`}** typists`,
      ),
    }),
  ];
  const out = tables.join('\n');
  console.log('\n' + out);
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'cluster.md'),
    `# Several processes\n\nRerun: \`BENCH_DATABASE_URL=postgres://… npx tsx bench/cluster.ts\` (see the comment at its top).\n\n${out}`,
  );
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
