import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadDocument } from '../../server/collab/persistence';
import { fragmentText, connectProvider, rawClient } from '../helpers/collab';
import { apiClient, signIn } from '../helpers/http';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';
import { startTcpProxy } from '../helpers/tcp-proxy';
import { contentFragmentName } from '../../common/schema/fragment';

/**
 * PostgreSQL goes away while people type (the test cuts a TCP proxy between the server and a real PostgreSQL
 * server), and comes back. Nothing typed may be lost, no error may go unhandled, and the log stays short.
 */
let server: TestServer;
let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
let cookie: string;
const logLines: { level: string; message: string; details: string }[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  const pgUrl = new URL((await import('../../server/env')).testPostgresUrl());
  proxy = await startTcpProxy({ host: pgUrl.hostname, port: Number(pgUrl.port || 5432) });
  server = await startTestServer({
    postgres: { via: proxy.via },
    collab: {
      unloadDelayMs: 100,
      unloadRetryMs: 300,
      log: (level, message, details) =>
        logLines.push({ level, message, details: details === undefined ? '' : String(details) }),
    },
  });
  const editor = await makeUser(server, 'Anne');
  cookie = await signIn(server.url, editor.email);
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  proxy?.restore();
  await server?.dispose();
  await proxy?.close();
});

describe('a database outage', () => {
  it('keeps what was typed during the outage when the document is left and reopened as the database returns', async () => {
    const { body } = await apiClient(server.url, cookie).post('/api/documents', {
      title: 'Storing',
      template: 'blank',
    });
    const id = body.id as string;
    const first = connectProvider(server.url, id, cookie);
    await vi.waitFor(() => expect(first.provider.synced).toBe(true), { timeout: 10_000 });
    first.addParagraph('voor de storing');
    await server.collab.flush();

    proxy.cut();
    const typed: string[] = [];
    for (let i = 0; i < 40; i++) {
      typed.push(`tijdens de storing ${i}`);
      first.addParagraph(typed.at(-1)!);
    }
    await vi.waitFor(() =>
      expect(fragmentText(server.collab.loadedDocument(id)!.ydoc.getXmlFragment(contentFragmentName))).toContain(
        'tijdens de storing 39',
      ),
    );
    // The author leaves (tab closed, its unsent state gone with it): only the server holds these words now.
    first.destroy();
    // Unloading fails while the database is away; the document must stay loaded, with everything.
    await new Promise((r) => setTimeout(r, 800));
    expect(server.collab.loadedDocument(id)).toBeDefined();

    // Someone opens it during the outage: the admission needs the database, so it is refused cleanly.
    const early = rawClient(server.url, id, cookie);
    const refusal = await Promise.race([
      early.unexpected.then((status) => `http ${status}`),
      early.closed.then(({ code }) => `close ${code}`),
    ]);
    expect(['http 503', 'close 1011']).toContain(refusal);

    proxy.restore();
    // Reopened as the database returns: the same live copy serves, with every word.
    const second = connectProvider(server.url, id, cookie);
    await vi.waitFor(() => expect(second.provider.synced).toBe(true), { timeout: 15_000 });
    for (const t of typed) expect(second.text()).toContain(t);
    second.addParagraph('na de storing');
    await server.collab.flush();
    second.destroy();

    // Released, then loaded from storage alone: everything is there.
    await vi.waitFor(() => expect(server.collab.loadedDocument(id)).toBeUndefined(), { timeout: 10_000 });
    const stored = await loadDocument(server.services.db, id);
    const text = fragmentText(stored!.ydoc.getXmlFragment(contentFragmentName));
    for (const t of ['voor de storing', ...typed, 'na de storing']) expect(text).toContain(t);
    expect(unhandled).toEqual([]);
  });

  it('logs an outage in a few short lines, never document contents', () => {
    const errors = logLines.filter((l) => l.level === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.length).toBeLessThan(20);
    for (const line of logLines) {
      expect(line.details.length).toBeLessThan(300);
      expect(line.details).not.toContain('tijdens de storing');
    }
  });

  it('answers REST requests with 503 while the database is away, and recovers', async () => {
    const api = apiClient(server.url, cookie);
    proxy.cut();
    try {
      const res = await api.get('/api/documents');
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(res.text).not.toMatch(/ECONNREFUSED|at .*\.ts|select /i);
    } finally {
      proxy.restore();
    }
    await vi.waitFor(async () => expect((await api.get('/api/documents')).status).toBe(200), { timeout: 10_000 });
  });
});
