import { monitorEventLoopDelay } from 'node:perf_hooks';
import { threadId } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoMemo } from '../../server/demo/memo';
import { createDocument } from '../../server/documents/documents';
import { exportLimits } from '../../server/export/limits';
import { parseDocx } from '../../server/import/parse';
import { readPdf, squash } from '../helpers/docx';
import { startEditProbe } from '../helpers/edit-probe';
import { signIn } from '../helpers/http';
import { largeVoorstel } from '../helpers/large-document';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';

/**
 * CPU-heavy requests run in the server's worker threads: four parallel PDF exports of a ~500-page voorstel do not
 * run on the thread that carries the WebSockets, and a full queue answers 503 at once. The event-loop delay and
 * the edit round trip measured meanwhile are printed (tests never assert timings; bench/export-stall.ts compares).
 */
// A large voorstel (about 100 pages): big enough that a render takes seconds, small enough for CI on two cores.
// bench/export-stall.ts measures the 500-page case.
const big = largeVoorstel(1_000);
const lastParagraph = '1000.';

async function setUp(server: TestServer) {
  const user = await makeUser(server, 'Exporteur');
  const cookie = await signIn(server.url, user.email);
  const bigDoc = await createDocument(server.services.db, user.id, {
    title: big.title,
    template: 'voorstel',
    content: big.doc,
  });
  const other = await createDocument(server.services.db, user.id, { title: 'Ander stuk', template: 'blank' });
  return { user, cookie, bigId: bigDoc.id, otherId: other.id };
}

async function exportPdf(server: TestServer, cookie: string, documentId: string) {
  const res = await fetch(`${server.url}/api/documents/${documentId}/export?format=pdf`, { headers: { cookie } });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

describe('exports in worker threads (default pool)', () => {
  let server: TestServer;
  let ctx: Awaited<ReturnType<typeof setUp>>;
  beforeAll(async () => {
    server = await startTestServer();
    ctx = await setUp(server);
  });
  afterAll(() => server?.dispose());

  it(
    'four parallel PDF exports of a large voorstel render off the main thread, each whole, while edits elsewhere keep arriving',
    { timeout: 180_000 },
    async () => {
      const probe = await startEditProbe(server.url, ctx.otherId, ctx.cookie);
      const before = server.workers.stats();
      const eld = monitorEventLoopDelay({ resolution: 5 });
      eld.enable();
      const started = performance.now();
      const results = await Promise.all(Array.from({ length: 4 }, () => exportPdf(server, ctx.cookie, ctx.bigId)));
      const wallMs = performance.now() - started;
      eld.disable();
      const edits = await probe.stop();
      const after = server.workers.stats();

      console.log(
        `[export-workers] 4 × PDF of ${big.characters.toLocaleString('en')} characters in ${(wallMs / 1000).toFixed(1)} s; ` +
          `server event-loop delay p99 ${(eld.percentile(99) / 1e6).toFixed(1)} ms, max ${(eld.max / 1e6).toFixed(1)} ms; ` +
          `edit round trip in another document p50 ${percentile(edits.latencies, 50).toFixed(1)} ms, p99 ${percentile(edits.latencies, 99).toFixed(1)} ms, ` +
          `max ${Math.max(...edits.latencies).toFixed(1)} ms (${edits.latencies.length}/${edits.sent} edits)`,
      );

      // Rendered by worker threads: four more jobs completed in the pool, on threads that are not this one.
      expect((after.completed.renderExport ?? 0) - (before.completed.renderExport ?? 0)).toBe(4);
      expect(after.threadIds.length).toBeGreaterThan(0);
      expect(after.threadIds).not.toContain(threadId);
      expect(after.crashed).toBe(0);

      for (const r of results) {
        expect(r.status).toBe(200);
        expect(r.headers.get('content-type')).toBe('application/pdf');
      }
      // Every PDF is whole: readable by poppler, about a hundred pages, from the header to the last paragraph.
      const { text, pages } = readPdf(results[0]!.bytes);
      expect(pages).toBeGreaterThan(80);
      const flat = squash(text);
      expect(flat).toContain('Regionale input voor coalitieakkoorden');
      expect(flat).toContain(lastParagraph);
      for (const r of results.slice(1)) expect(readPdf(r.bytes).pages).toBe(pages);

      // Editing went on: every edit made during the exports reached the other participant.
      expect(edits.sent).toBeGreaterThan(0);
      expect(edits.latencies.length).toBe(edits.sent);
    },
  );

  it(
    'a document over the export cap is refused with 413 and a clear message before any layout',
    { timeout: 60_000 },
    async () => {
      // Horizontal rules: hardly any text, but more blocks than the cap allows.
      const rules = Array.from({ length: exportLimits.maxBlocks + 1 }, () => ({ type: 'horizontalRule' }));
      const huge = await createDocument(server.services.db, ctx.user.id, {
        title: 'Te groot',
        template: 'blank',
        content: { type: 'doc', content: rules },
      });
      const res = await fetch(`${server.url}/api/documents/${huge.id}/export?format=pdf`, {
        headers: { cookie: ctx.cookie },
      });
      expect(res.status).toBe(413);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('too_large:export');
      expect(body.error.message).toMatch(/te groot om te exporteren.*60\.001 blokken/);
    },
  );
});

describe('a tiny pool: one thread, one waiting job', () => {
  let server: TestServer;
  let ctx: Awaited<ReturnType<typeof setUp>>;
  beforeAll(async () => {
    server = await startTestServer({ workers: { size: 1, maxQueue: 1, retryAfterSeconds: 3 } });
    ctx = await setUp(server);
  });
  afterAll(() => server?.dispose());

  it(
    'of four parallel exports one renders, one waits, and two are refused at once with 503 and Retry-After',
    { timeout: 180_000 },
    async () => {
      const results = await Promise.all(Array.from({ length: 4 }, () => exportPdf(server, ctx.cookie, ctx.bigId)));
      expect(results.map((r) => r.status).sort()).toEqual([200, 200, 503, 503]);
      for (const refused of results.filter((r) => r.status === 503)) {
        expect(refused.headers.get('retry-after')).toBe('3');
        const body = JSON.parse(new TextDecoder().decode(refused.bytes)) as {
          error: { code: string; message: string };
        };
        expect(body.error.code).toBe('unavailable:busy');
        expect(body.error.message).toMatch(/te druk/);
      }
      for (const ok of results.filter((r) => r.status === 200)) expect(readPdf(ok.bytes).pages).toBeGreaterThan(80);
      expect(server.workers.stats()).toMatchObject({ refused: 2, queued: 0, busy: 0 });
    },
  );

  it(
    'an import parsed in the worker thread stores exactly what parsing on the main thread gives',
    { timeout: 60_000 },
    async () => {
      const memo = demoMemo();
      const source = await createDocument(server.services.db, ctx.user.id, {
        title: memo.title,
        template: 'voorstel',
        content: memo.doc,
      });
      const docx = await fetch(`${server.url}/api/documents/${source.id}/export?format=docx`, {
        headers: { cookie: ctx.cookie },
      });
      expect(docx.status).toBe(200);
      const bytes = new Uint8Array(await docx.arrayBuffer());

      const before = server.workers.stats().completed.parseDocx ?? 0;
      const form = new FormData();
      form.set('file', new Blob([bytes]), 'voorstel.docx');
      const res = await fetch(`${server.url}/api/documents/import`, {
        method: 'POST',
        headers: { cookie: ctx.cookie, origin: server.url },
        body: form,
      });
      expect(res.status).toBe(201);
      const created = (await res.json()) as { id: string; title: string };
      expect(server.workers.stats().completed.parseDocx).toBe(before + 1);

      // The same parse, here on the main thread: the stored content and text are identical.
      const local = await parseDocx({ bytes });
      const stored = await server.services.db.query.documentSnapshots.findFirst({
        where: (s, { eq }) => eq(s.documentId, created.id),
      });
      expect(stored!.json).toEqual(local.doc);
      expect(stored!.text).toBe(local.text);
      expect(created.title).toBe(memo.title);
    },
  );
});
