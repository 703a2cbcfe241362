import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { documentMembers } from '../../db/schema';
import { connectProvider, rawClient } from '../helpers/collab';
import { apiClient, signIn } from '../helpers/http';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';
import { contentFragmentName } from '../../common/schema/fragment';

/**
 * One live copy per document, whatever the spelling of its id; connections that stop answering are dropped; one
 * person cannot open connections without end; read-only handshakes are not refused writes; a sign-off ends the
 * version period.
 */
let server: TestServer;
const people = {} as Record<'editor' | 'chair' | 'commenter', { id: string; email: string; cookie: string }>;
const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((f) => f()));

beforeAll(async () => {
  server = await startTestServer({
    collab: {
      connectionTimeoutMs: 600,
      pingIntervalMs: 150,
      maxConnectionsPerUser: 4,
      versionIdleMs: 300,
      versionMaxIntervalMs: 5_000,
    },
  });
  for (const [key, name] of [
    ['editor', 'Anne'],
    ['chair', 'Carla'],
    ['commenter', 'Daan'],
  ] as const) {
    const user = await makeUser(server, name);
    people[key] = { id: user.id, email: user.email, cookie: await signIn(server.url, user.email) };
  }
});
afterAll(() => server?.dispose());

async function newDocument() {
  const api = apiClient(server.url, people.editor.cookie);
  const { body } = await api.post('/api/documents', { title: 'Eén document', template: 'blank' });
  await api.post(`/api/documents/${body.id}/members`, { email: people.commenter.email, role: 'commenter' });
  // The chair is granted directly: who may grant it is not what these tests are about.
  await server.services.db
    .insert(documentMembers)
    .values({ documentId: body.id, userId: people.chair.id, role: 'chair' });
  return body.id as string;
}

function open(who: keyof typeof people, room: string) {
  const client = connectProvider(server.url, room, people[who].cookie);
  cleanup.push(() => client.destroy());
  return client;
}
const synced = (c: ReturnType<typeof open>) =>
  vi.waitFor(() => expect(c.provider.synced).toBe(true), { timeout: 10_000 });

describe('document ids', () => {
  it('an id in capitals reaches the same live document: edits meet, a sign-off freezes both spellings', async () => {
    const id = await newDocument();
    const lower = open('editor', id);
    const upper = open('editor', id.toUpperCase());
    await Promise.all([synced(lower), synced(upper)]);
    expect(server.collab.documentCount).toBe(1);

    upper.addParagraph('getypt via hoofdletters');
    lower.addParagraph('getypt via kleine letters');
    for (const c of [lower, upper]) {
      await vi.waitFor(() => expect(c.text()).toContain('getypt via hoofdletters'));
      await vi.waitFor(() => expect(c.text()).toContain('getypt via kleine letters'));
    }

    const editorApi = apiClient(server.url, people.editor.cookie);
    expect((await editorApi.post(`/api/documents/${id.toUpperCase()}/status`, { status: 'review' })).status).toBe(200);
    expect((await editorApi.post(`/api/documents/${id.toUpperCase()}/status`, { status: 'ready' })).status).toBe(200);
    const signed = await apiClient(server.url, people.chair.cookie).post(`/api/documents/${id}/sign-off`);
    expect(signed.status).toBe(200);

    upper.addParagraph('na het vaststellen');
    await server.collab.flush();
    const live = server.collab.loadedDocument(id.toUpperCase())!;
    expect(live).toBe(server.collab.loadedDocument(id));
    await vi.waitFor(() => expect(live.refusedUpdates).toBeGreaterThan(0));
    expect(live.ydoc.getXmlFragment(contentFragmentName).toString()).not.toContain('na het vaststellen');
  });

  it('REST paths and pages take an id in capitals as the same document; a malformed id is a 404', async () => {
    const id = await newDocument();
    const api = apiClient(server.url, people.editor.cookie);
    const got = await api.get(`/api/documents/${id.toUpperCase()}`);
    expect(got.status).toBe(200);
    expect(got.body.id).toBe(id);
    // What the person may do comes computed from the server.
    expect(got.body.can).toMatchObject({
      edit: true,
      comment: true,
      changeStatus: true,
      signOff: false,
      manageMembers: true,
    });
    const chairView = await apiClient(server.url, people.chair.cookie).get(`/api/documents/${id}`);
    expect(chairView.body.can).toMatchObject({
      edit: false,
      comment: true,
      resolveAny: true,
      signOff: false,
      manageMembers: false,
    });
    expect((await api.get(`/api/documents/${id}x`)).status).toBe(404);
    const page = await fetch(`${server.url}/documents/${id.toUpperCase()}`, {
      headers: { cookie: people.editor.cookie },
      redirect: 'manual',
    });
    expect([307, 308]).toContain(page.status);
    expect(new URL(page.headers.get('location')!, server.url).pathname).toBe(`/documents/${id}`);
  });
});

describe('connections', () => {
  it('drops a connection that stops answering, and the document is released', async () => {
    const id = await newDocument();
    const silent = rawClient(server.url, id, people.editor.cookie);
    await silent.opened;
    await vi.waitFor(() => expect(server.collab.loadedDocument(id)?.connections.size).toBe(1));
    // Like a laptop whose lid closed: the socket stays open but nothing is read or answered any more.
    (silent.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    await vi.waitFor(() => expect(server.collab.loadedDocument(id)?.connections.size ?? 0).toBe(0), { timeout: 5_000 });
    await vi.waitFor(() => expect(server.collab.loadedDocument(id)).toBeUndefined(), { timeout: 5_000 });
  });

  it('keeps a quiet but live connection (it answers pings)', async () => {
    const id = await newDocument();
    const quiet = rawClient(server.url, id, people.editor.cookie);
    await quiet.opened;
    await new Promise((r) => setTimeout(r, 1_500)); // well past the 600 ms timeout, with pings answered
    expect(quiet.ws.readyState).toBe(WebSocket.OPEN);
    quiet.ws.close();
  });

  it('refuses more than the allowed connections of one person with 429; others are unaffected', async () => {
    const id = await newDocument();
    const sockets = Array.from({ length: 4 }, () => rawClient(server.url, id, people.editor.cookie));
    await Promise.all(sockets.map((s) => s.opened));
    const fifth = rawClient(server.url, id, people.editor.cookie);
    expect(await fifth.unexpected).toBe(429);
    const other = rawClient(server.url, id, people.commenter.cookie);
    await other.opened;
    for (const s of [...sockets, other]) s.ws.close();
  });

  it('a room that is not a UUID is closed with 4403', async () => {
    const bogus = rawClient(server.url, 'not-a-document', people.chair.cookie);
    expect((await bogus.closed).code).toBe(4403);
    const unknown = rawClient(server.url, randomUUID().toUpperCase(), people.chair.cookie);
    expect((await unknown.closed).code).toBe(4403);
  });
});

describe('read-only connections', () => {
  it("a commenter's handshake on a document with deletions is not counted as a refused write", async () => {
    const id = await newDocument();
    const editor = open('editor', id);
    await synced(editor);
    for (let i = 0; i < 5; i++) editor.addParagraph(`alinea ${i}`);
    editor.fragment.delete(0, 3); // deletions: the document's delete set is not empty
    await vi.waitFor(() =>
      expect(server.collab.loadedDocument(id)!.ydoc.getXmlFragment(contentFragmentName).length).toBe(
        editor.fragment.length,
      ),
    );
    const reader = open('commenter', id);
    await synced(reader);
    await vi.waitFor(() => expect(reader.text()).toBe(editor.text()));
    reader.provider.disconnect();
    reader.provider.connect(); // a second handshake re-sends everything it holds, deletions included
    await synced(reader);
    await new Promise((r) => setTimeout(r, 200));
    expect(server.collab.loadedDocument(id)!.refusedUpdates).toBe(0);
  });
});

describe('versions', () => {
  it('a sign-off ends the version period: no automatic version of the same text follows it', async () => {
    const id = await newDocument();
    const editor = open('editor', id);
    await synced(editor);
    editor.addParagraph('vlak voor het vaststellen');
    await vi.waitFor(() => expect(server.collab.loadedDocument(id)!.changedSinceVersion).toBe(true));
    const editorApi = apiClient(server.url, people.editor.cookie);
    await editorApi.post(`/api/documents/${id}/status`, { status: 'review' });
    await editorApi.post(`/api/documents/${id}/status`, { status: 'ready' });
    expect((await apiClient(server.url, people.chair.cookie).post(`/api/documents/${id}/sign-off`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 900)); // three times the idle time of an automatic version
    const versions = (await editorApi.get(`/api/documents/${id}/versions`)).body.versions as {
      kind: string;
      createdAt: string;
    }[];
    const signed = versions.find((v) => v.kind === 'signed')!;
    expect(signed).toBeDefined();
    expect(versions.filter((v) => v.kind === 'auto' && v.createdAt > signed.createdAt)).toEqual([]);
  });
});
