import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { demoPassword, demoPeople } from '../../server/demo/seed';
import { connectProvider } from '../helpers/collab';
import { apiClient, signIn } from '../helpers/http';
import { testDataRoot } from '../helpers/paths';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';
import { contentFragmentName } from '../../common/schema/fragment';
import { freePort, startServerProcess } from '../helpers/processes';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('a graceful restart', () => {
  let server: TestServer;
  afterAll(() => server?.dispose());

  it('loses nothing: what was typed before is there after, and an offline client re-sends the rest on reconnect', async () => {
    server = await startTestServer();
    const user = await makeUser(server, 'Anne');
    const cookie = await signIn(server.url, user.email);
    const { body: doc } = await apiClient(server.url, cookie).post('/api/documents', {
      title: 'Herstart',
      template: 'blank',
    });
    const a = connectProvider(server.url, doc.id, cookie);
    cleanup.push(() => a.destroy());
    await vi.waitFor(() => expect(a.provider.synced).toBe(true));
    for (let i = 0; i < 20; i++) a.addParagraph(`voor de herstart ${i}`);
    await vi.waitFor(() =>
      expect(server.collab.loadedDocument(doc.id)?.ydoc.getXmlFragment(contentFragmentName).length).toBe(21),
    );
    server = await server.restart(() => a.addParagraph('offline getypt'));

    // The stock provider reconnects by itself and its sync step 2 carries what the server lacks.
    const b = connectProvider(server.url, doc.id, cookie);
    cleanup.push(() => b.destroy());
    await vi.waitFor(
      () => {
        expect(b.provider.synced).toBe(true);
        for (let i = 0; i < 20; i++) expect(b.text()).toContain(`voor de herstart ${i}\n`);
        expect(b.text()).toContain('offline getypt');
      },
      { timeout: 15_000 },
    );
  });
});

describe('a kill without shutdown (kill -9)', () => {
  it(
    'loses nothing that was flushed, and the reconnecting client re-sends what was not',
    { timeout: 180_000 },
    async () => {
      const dataDir = mkdtempSync(path.join(testDataRoot, 'kill-'));
      const port = await freePort();
      const env: Record<string, string> = {
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        SEED_DEMO: '1',
        AUTH_SECRET: 'k'.repeat(40),
      };
      // Always the embedded default: a crash is what can hurt it (PostgreSQL's durability is PostgreSQL's).
      env.DATABASE_URL = '';
      let proc = await startServerProcess(env);
      cleanup.push(() => proc.child.kill('SIGKILL'));
      const cookie = await signIn(proc.url, demoPeople[0]!.email, demoPassword);
      const { body } = await apiClient(proc.url, cookie).get('/api/documents');
      const memo = body.documents[0];
      const client = connectProvider(proc.url, memo.id, cookie);
      cleanup.push(() => client.destroy());
      await vi.waitFor(() => expect(client.provider.synced).toBe(true), { timeout: 15_000 });
      for (let i = 0; i < 25; i++) client.addParagraph(`vastgelegd ${i}`);
      await vi.waitFor(async () => {
        const health = await (await fetch(`${proc.url}/api/health`)).json();
        expect(health.pendingUpdates).toBe(0);
      });

      // The client goes away first, so what the new process shows can only come from storage.
      client.provider.disconnect();
      proc.child.kill('SIGKILL');
      await new Promise((r) => proc.child.once('exit', r));
      client.addParagraph('getypt terwijl de server weg was');

      proc = await startServerProcess(env);
      const fresh = connectProvider(proc.url, memo.id, cookie);
      cleanup.push(() => fresh.destroy());
      await vi.waitFor(() => expect(fresh.provider.synced).toBe(true), { timeout: 20_000 });
      for (let i = 0; i < 25; i++) expect(fresh.text()).toContain(`vastgelegd ${i}\n`);
      expect(fresh.text()).not.toContain('getypt terwijl de server weg was');

      // The stock provider reconnects and re-sends what the server lacks.
      client.provider.connect();
      await vi.waitFor(() => expect(fresh.text()).toContain('getypt terwijl de server weg was'), { timeout: 20_000 });
      expect(fresh.text().match(/Aan het algemeen bestuur/g)).toHaveLength(1);
    },
  );
});
