/**
 * `npx tsx bench/export-stall.ts [--paragraphs=5000] [--exports=4] [--pool-size=N] [--nice=N] [--reps=1]`
 *
 * Does export work stall editing? A real Stukwerk server (Next.js + collaboration server, PGlite in a temporary
 * directory; it needs `next build`) runs in this process; a ~500-page voorstel is created (the demo memo plus
 * 5,000 paragraphs of its own sentences), then four PDF exports of it are requested at once over HTTP. Meanwhile:
 * - the server's event-loop delay (`monitorEventLoopDelay`, 5 ms resolution; the server's loop is this process's);
 * - the edit round trip in an unrelated document: a writer and a reader (stock y-websocket providers, in a thread
 *   of their own so their clock runs on whatever the server does) exchange an edit every 50 ms.
 * The same two numbers are taken first with the server idle, as the reference of this run. Prints a table.
 *
 * Written against `startServer` only, so the same file runs on older checkouts (copy it with
 * tests/helpers/edit-probe*.{ts,mjs} and tests/helpers/large-document.ts); options the server does not know are
 * ignored there.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startServer } from '../server/app-server';
import { createDocument } from '../server/documents/documents';
import { createUser } from '../server/users/users';
import { startEditProbe, type EditProbeResult } from '../tests/helpers/edit-probe';
import { signIn } from '../tests/helpers/http';
import { largeVoorstel } from '../tests/helpers/large-document';

const arg = (name: string, fallback: number) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : fallback;
};
const paragraphs = arg('paragraphs', 5_000);
const exports = arg('exports', 4);
const reps = arg('reps', 1);
const poolSize = process.argv.some((x) => x.startsWith('--pool-size=')) ? arg('pool-size', 2) : undefined;
const nice = process.argv.some((x) => x.startsWith('--nice=')) ? arg('nice', 10) : undefined;

const ms = (ns: number) => (ns / 1e6).toFixed(1);
const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

interface Row {
  phase: string;
  wallS: string;
  eld: string;
  edit: string;
  delivered: string;
}

async function measure(
  phase: string,
  work: () => Promise<void>,
  probeTarget: { url: string; documentId: string; cookie: string },
): Promise<Row> {
  const probe = await startEditProbe(probeTarget.url, probeTarget.documentId, probeTarget.cookie);
  const eld = monitorEventLoopDelay({ resolution: 5 });
  eld.enable();
  const started = performance.now();
  await work();
  const wall = performance.now() - started;
  eld.disable();
  const edits: EditProbeResult = await probe.stop();
  const l = edits.latencies;
  return {
    phase,
    wallS: (wall / 1000).toFixed(1),
    eld: `${ms(eld.percentile(50))} / ${ms(eld.percentile(99))} / ${ms(eld.max)}`,
    edit: `${pct(l, 50).toFixed(1)} / ${pct(l, 99).toFixed(1)} / ${Math.max(...l).toFixed(1)}`,
    delivered: `${l.length}/${edits.sent}`,
  };
}

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'stukwerk-export-stall-'));
  const server = await startServer(
    {
      port: 0,
      host: '127.0.0.1',
      dev: false,
      dataDir,
      database: { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') },
      authSecret: 'x'.repeat(64),
      seedDemo: false,
    },
    {
      log: () => {},
      collab: { log: () => {} },
      workers: { ...(poolSize ? { size: poolSize } : {}), ...(nice !== undefined ? { nice } : {}) },
    } as Parameters<typeof startServer>[1],
  );
  try {
    const password = 'correct horse battery staple';
    const user = await createUser(server.services.db, { email: 'bench@example.nl', name: 'Bench', password });
    const cookie = await signIn(server.url, user.email, password);
    const big = largeVoorstel(paragraphs);
    const bigDoc = await createDocument(server.services.db, user.id, {
      title: big.title,
      template: 'voorstel',
      content: big.doc,
    });
    const other = await createDocument(server.services.db, user.id, { title: 'Ander stuk', template: 'blank' });
    const target = { url: server.url, documentId: other.id, cookie };
    const exportOnce = async () => {
      const res = await fetch(`${server.url}/api/documents/${bigDoc.id}/export?format=pdf`, { headers: { cookie } });
      const bytes = await res.arrayBuffer();
      if (res.status !== 200)
        throw new Error(`export answered ${res.status}: ${new TextDecoder().decode(bytes).slice(0, 200)}`);
    };

    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    console.log(
      `export stall: ${exports} parallel PDF exports of ${big.characters.toLocaleString('en')} characters (${paragraphs} paragraphs); load average ${load}`,
    );
    const rows: Row[] = [];
    // A warm-up export: the first one pays for starting threads and loading modules, in either version.
    await exportOnce();
    for (let r = 0; r < reps; r++) {
      rows.push(await measure('idle (3 s)', () => new Promise((resolve) => setTimeout(resolve, 3_000)), target));
      rows.push(
        await measure(
          `${exports} × PDF export`,
          async () => void (await Promise.all(Array.from({ length: exports }, exportOnce))),
          target,
        ),
      );
    }
    console.log(
      '\n| phase | wall (s) | event-loop delay p50 / p99 / max (ms) | edit round trip p50 / p99 / max (ms) | edits delivered |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const r of rows) console.log(`| ${r.phase} | ${r.wallS} | ${r.eld} | ${r.edit} | ${r.delivered} |`);
    console.log(`\nload average at the end ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
