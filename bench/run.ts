/**
 * `npm run bench [-- --quick] [-- --only=1,3]`: runs every scenario against Stukwerk (authentication, roles and
 * durable storage on, as in production; PGlite, and PostgreSQL when BENCH_DATABASE_URL is set) beside the bare
 * y-websocket reference server, prints one Markdown table per scenario and writes them to bench/results/.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopAllChildren } from './lib/child';
import { makeBackends, makeWorkDir, runCleanups, type Backend, type Options } from './lib/harness';
import { renderTable, type Table } from './lib/stats';
import { editToRemote, everyoneTyping } from './scenarios/latency';
import { durability } from './scenarios/durability';
import { coldOpen } from './scenarios/cold-open';
import { memory } from './scenarios/memory';
import { manyDocuments, reconnectStorm } from './scenarios/load';
import { crdtFloor } from './scenarios/trace';

const benchDir = path.dirname(fileURLToPath(import.meta.url));

type Scenario = (opts: Options, backends: Backend[], log: (s: string) => void) => Promise<Table | Table[]>;
/** Which scenarios run on PostgreSQL too (when BENCH_DATABASE_URL is set); the others only touch storage at the edges. */
const scenarios: { id: number; name: string; run: Scenario; postgres: boolean }[] = [
  { id: 1, name: 'edit-to-remote latency', run: editToRemote, postgres: true },
  { id: 2, name: 'everyone typing', run: everyoneTyping, postgres: false },
  { id: 3, name: 'durability delay', run: durability, postgres: true },
  { id: 4, name: 'cold open', run: coldOpen, postgres: true },
  { id: 5, name: 'memory', run: memory, postgres: false },
  { id: 6, name: 'many documents', run: manyDocuments, postgres: false },
  { id: 7, name: 'reconnect storm', run: reconnectStorm, postgres: false },
  { id: 8, name: 'CRDT floor', run: crdtFloor, postgres: true },
];

function parseArgs(argv: string[]): { quick: boolean; only?: Set<number>; sizes?: number[] } {
  const quick = argv.includes('--quick');
  const only = argv.find((a) => a.startsWith('--only='));
  const sizes = argv.find((a) => a.startsWith('--sizes='));
  return {
    quick,
    only: only ? new Set(only.slice(7).split(',').map(Number)) : undefined,
    sizes: sizes ? sizes.slice(8).split(',').map(Number) : undefined,
  };
}

function machine(): string {
  const cpus = os.cpus();
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: benchDir, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    // not a git checkout: leave it unknown
  }
  return `${cpus.length} × ${cpus[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${os.release()}, Node ${process.version}, commit ${commit}, load average at start ${load}`;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const header = machine();
  const log = (s: string) => console.log(s);
  const workDir = makeWorkDir();
  const opts: Options = { ...args, workDir };
  const postgresUrl = process.env.BENCH_DATABASE_URL || undefined;
  const backends = await makeBackends(workDir, postgresUrl);
  log(`Stukwerk benchmarks (${args.quick ? 'quick' : 'full'}) on ${header}`);
  log(
    `Backends: ${backends.map((b) => b.name).join(', ')}${postgresUrl ? '' : ' (set BENCH_DATABASE_URL=postgres://… to add PostgreSQL)'}\n`,
  );

  const sections: string[] = [];
  const failures: string[] = [];
  for (const s of scenarios) {
    if (args.only && !args.only.has(s.id)) continue;
    const t0 = Date.now();
    log(`== ${s.id}. ${s.name}`);
    try {
      const result = await s.run(opts, s.postgres ? backends : backends.slice(0, 1), log);
      for (const t of Array.isArray(result) ? result : [result]) {
        const md = renderTable(t);
        sections.push(md);
        console.log('\n' + md);
      }
    } catch (err) {
      failures.push(`${s.id}. ${s.name}: ${(err as Error).message}`);
      console.error(`scenario ${s.id} failed:`, err);
    } finally {
      await stopAllChildren();
    }
    log(`   (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
  }
  const endLoad = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const report = [
    `# Stukwerk benchmark results (${args.quick ? 'quick' : 'full'} run)`,
    '',
    `${new Date().toISOString()} · ${header}, at the end ${endLoad} · ${((Date.now() - started) / 1000).toFixed(0)} s · backends: ${backends.map((b) => b.name).join(', ')}`,
    '',
    'Rerun: `npm run bench` (full) or `npm run bench -- --quick`; see bench/README.md for what each scenario measures.',
    '',
    ...sections,
    ...(failures.length ? ['## Failed scenarios', '', ...failures.map((f) => `- ${f}`), ''] : []),
  ].join('\n');
  mkdirSync(path.join(benchDir, 'results'), { recursive: true });
  const file = path.join(benchDir, 'results', args.quick ? 'quick.md' : args.only ? 'partial.md' : 'latest.md');
  writeFileSync(file, report);
  log(`Written to ${path.relative(process.cwd(), file)}`);
  if (failures.length) process.exitCode = 1;
}

const shutdown = async (code: number) => {
  await stopAllChildren();
  await runCleanups();
  process.exit(code);
};
process.on('SIGINT', () => void shutdown(130));
process.on('SIGTERM', () => void shutdown(143));
main()
  .then(() => shutdown(Number(process.exitCode ?? 0)))
  .catch(async (err) => {
    console.error(err);
    await shutdown(1);
  });
