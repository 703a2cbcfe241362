import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { documentSnapshots, documentUpdates } from '../../db/schema';
import { connectProvider } from '../helpers/collab';
import { apiClient, signIn } from '../helpers/http';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';
import { contentFragmentName } from '../../common/schema/fragment';

let server: TestServer;
let cookie: string;
const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((f) => f()));
beforeAll(async () => {
  server = await startTestServer({ collab: { compactAfterUpdates: 20, unloadDelayMs: 50 } });
  cookie = await signIn(server.url, (await makeUser(server, 'Anne')).email);
});
afterAll(() => server?.dispose());

const logRows = (id: string) =>
  server.services.db.select().from(documentUpdates).where(eq(documentUpdates.documentId, id));
const snapshotOf = async (id: string) =>
  (await server.services.db.select().from(documentSnapshots).where(eq(documentSnapshots.documentId, id)))[0]!;

describe('durable storage', () => {
  it('compacts the log into a snapshot with derived JSON and text once it grows', async () => {
    const { body: doc } = await apiClient(server.url, cookie).post('/api/documents', {
      title: 'Compactie',
      template: 'blank',
    });
    const client = connectProvider(server.url, doc.id, cookie);
    cleanup.push(() => client.destroy());
    await vi.waitFor(() => expect(client.provider.synced).toBe(true));
    for (let i = 0; i < 45; i++) {
      client.addParagraph(`alinea ${i}`);
      await new Promise((r) => setTimeout(r, 5)); // separate updates, as typing makes them
    }
    await vi.waitFor(async () => {
      expect((await snapshotOf(doc.id)).text).toContain('alinea 19');
      expect(server.collab.stats.compactions).toBeGreaterThan(0);
    });
    await server.collab.flush();
    await vi.waitFor(async () => expect((await logRows(doc.id)).length).toBeLessThan(45));
    const snap = await snapshotOf(doc.id);
    expect(snap.lastSeq).toBeGreaterThan(0);
    expect((snap.json as { type: string }).type).toBe('doc');
  });

  it('the document list shows the latest edit as the last change, before any compaction', async () => {
    const api = apiClient(server.url, cookie);
    const { body: doc } = await api.post('/api/documents', { title: 'Laatste wijziging', template: 'blank' });
    const listed = async () =>
      (await api.get('/api/documents')).body.documents.find((d: { id: string }) => d.id === doc.id).updatedAt as string;
    const before = await listed();
    const client = connectProvider(server.url, doc.id, cookie);
    cleanup.push(() => client.destroy());
    await vi.waitFor(() => expect(client.provider.synced).toBe(true));
    await new Promise((r) => setTimeout(r, 20)); // a later timestamp than the creation
    client.addParagraph('een wijziging');
    await vi.waitFor(async () => expect((await logRows(doc.id)).length).toBe(1));
    expect(new Date(await listed()).getTime()).toBeGreaterThan(new Date(before).getTime());
    expect((await api.get('/api/documents')).body.documents[0].id).toBe(doc.id); // newest change first
  });

  it('flushes, compacts and releases a document after its last connection closes; loading it again gives it all back', async () => {
    const { body: doc } = await apiClient(server.url, cookie).post('/api/documents', {
      title: 'Ontladen',
      template: 'voorstel',
    });
    const client = connectProvider(server.url, doc.id, cookie);
    await vi.waitFor(() => expect(client.provider.synced).toBe(true));
    for (let i = 0; i < 7; i++) client.addParagraph(`laatste woorden ${i}`);
    await vi.waitFor(() =>
      expect(server.collab.loadedDocument(doc.id)?.ydoc.getXmlFragment(contentFragmentName).toString()).toContain(
        'laatste woorden 6',
      ),
    );
    client.destroy();
    await vi.waitFor(() => expect(server.collab.loadedDocument(doc.id)).toBeUndefined());
    expect(await logRows(doc.id)).toHaveLength(0);
    const snap = await snapshotOf(doc.id);
    expect(snap.text).toContain('laatste woorden 6');
    expect(snap.text).toContain('Aan het algemeen bestuur');

    const again = connectProvider(server.url, doc.id, cookie);
    cleanup.push(() => again.destroy());
    await vi.waitFor(() => expect(again.provider.synced).toBe(true));
    for (let i = 0; i < 7; i++) expect(again.text()).toContain(`laatste woorden ${i}\n`);
    expect(again.text().match(/Aan het algemeen bestuur/g)).toHaveLength(1);
  });
});
