import { eq } from 'drizzle-orm';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { documentUpdates } from '../../db/schema';
import { loadDocument } from '../../server/collab/persistence';
import { apiClient, signIn } from '../helpers/http';
import { connectProvider, messageTypes, paragraphUpdate, rawClient, syncFrame } from '../helpers/collab';
import { deactivateUser } from '../../server/users/users';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';
import { contentFragmentName } from '../../common/schema/fragment';

let server: TestServer;
let cookies: Record<'editorA' | 'editorB' | 'commenter' | 'viewer' | 'outsider', string>;
let ids: Record<keyof typeof cookies, string>;
const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((f) => f()));

beforeAll(async () => {
  server = await startTestServer({ collab: { maxMessageBytes: 256 * 1024, revalidateUsersMs: 200 } });
  const people = {
    editorA: await makeUser(server, 'Anne'),
    editorB: await makeUser(server, 'Bram'),
    commenter: await makeUser(server, 'Burgemeester', 'Gemeente Almelo'),
    viewer: await makeUser(server, 'Lezer'),
    outsider: await makeUser(server, 'Buiten'),
  };
  cookies = {} as typeof cookies;
  ids = {} as typeof ids;
  for (const [k, u] of Object.entries(people)) {
    cookies[k as keyof typeof cookies] = await signIn(server.url, u.email);
    ids[k as keyof typeof ids] = u.id;
  }
});
afterAll(() => server?.dispose());

/** A voorstel with the two editors, a commenter and a viewer. */
async function newDocument(): Promise<string> {
  const api = apiClient(server.url, cookies.editorA);
  const { body } = await api.post('/api/documents', { title: 'Samen schrijven', template: 'voorstel' });
  await api.post(`/api/documents/${body.id}/members`, { email: await emailOf('editorB'), role: 'editor' });
  await api.post(`/api/documents/${body.id}/members`, { email: await emailOf('commenter'), role: 'commenter' });
  await api.post(`/api/documents/${body.id}/members`, { email: await emailOf('viewer'), role: 'viewer' });
  return body.id;
}
async function emailOf(who: keyof typeof ids) {
  const res = await fetch(`${server.url}/api/auth/session`, { headers: { cookie: cookies[who] } });
  return ((await res.json()) as { user: { email: string } }).user.email;
}

function open(who: keyof typeof cookies, documentId: string, base = server) {
  const client = connectProvider(base.url, documentId, cookies[who]);
  cleanup.push(() => client.destroy());
  return client;
}
const synced = (c: ReturnType<typeof open>) =>
  vi.waitFor(() => expect(c.provider.synced).toBe(true), { timeout: 10_000 });

describe('real-time editing with the stock y-websocket provider', () => {
  it('a new voorstel arrives with its template once, however many clients open it first', async () => {
    const id = await newDocument();
    const clients = [open('editorA', id), open('editorB', id), open('commenter', id)];
    await Promise.all(clients.map(synced));
    for (const c of clients) {
      const text = c.text();
      expect(text.match(/Aan het algemeen bestuur/g)).toHaveLength(1);
      expect(text.match(/Besluit/g)).toHaveLength(1);
    }
  });

  it('two editors typing at the same time converge, and a late joiner receives everything', async () => {
    const id = await newDocument();
    const a = open('editorA', id);
    const b = open('editorB', id);
    await Promise.all([synced(a), synced(b)]);
    for (let i = 0; i < 40; i++) {
      a.addParagraph(`A${i}`);
      b.addParagraph(`B${i}`);
    }
    await vi.waitFor(() => {
      expect(a.text()).toBe(b.text());
      for (let i = 0; i < 40; i++) {
        expect(a.text()).toContain(`A${i}\n`);
        expect(a.text()).toContain(`B${i}\n`);
      }
    });
    const late = open('viewer', id);
    await synced(late);
    await vi.waitFor(() => expect(late.text()).toBe(a.text()));
  });

  it('accepted updates reach the update log within the group-commit delay, in few transactions', async () => {
    const id = await newDocument();
    const a = open('editorA', id);
    await synced(a);
    const flushesBefore = server.collab.stats.flushes;
    for (let i = 0; i < 30; i++) a.addParagraph(`regel ${i}`);
    await vi.waitFor(async () => {
      const rows = await server.services.db.select().from(documentUpdates).where(eq(documentUpdates.documentId, id));
      const stored = await loadDocument(server.services.db, id);
      const text = stored!.ydoc.getXmlFragment(contentFragmentName).toString();
      for (let i = 0; i < 30; i++) expect(text).toContain(`regel ${i}<`);
      // One row per document per flush: the updates of a flush are merged (a leaner log).
      expect(rows.length).toBeLessThanOrEqual(server.collab.stats.flushes - flushesBefore);
    });
    // 30 updates sent in one burst: far fewer flushes than updates.
    expect(server.collab.stats.flushes - flushesBefore).toBeLessThan(10);
  });
});

describe('read-only connections', () => {
  it.each(['commenter', 'viewer'] as const)(
    'a %s’s hand-made update frames change nothing on the server and reach no one',
    async (who) => {
      const id = await newDocument();
      const editor = open('editorA', id);
      await synced(editor);
      const before = editor.text();
      const live = server.collab.loadedDocument(id)!;
      const stateBefore = Y.encodeStateVector(live.ydoc);
      const raw = rawClient(server.url, id, cookies[who]);
      await raw.opened;
      await vi.waitFor(() => expect(messageTypes(raw.received)).toContain(0)); // the handshake's sync step 1
      raw.send(syncFrame(1, paragraphUpdate(editor.ydoc, 'INGEBROKEN via step 2')));
      raw.send(syncFrame(2, paragraphUpdate(editor.ydoc, 'INGEBROKEN via update')));
      raw.send(syncFrame(1, new Uint8Array([0, 0]))); // an empty step 2 completes the handshake
      // A marker from the editor proves the frames above were processed before it (one ordered server loop).
      editor.addParagraph('marker');
      await vi.waitFor(() => expect(fragmentHas(live.ydoc, 'marker')).toBe(true));
      await server.collab.flush();
      expect(fragmentHas(live.ydoc, 'INGEBROKEN')).toBe(false);
      expect(editor.text()).toBe(before + 'marker\n');
      expect(Y.encodeStateVector(live.ydoc)).not.toEqual(stateBefore); // only the marker changed it
      const logged = await server.services.db.select().from(documentUpdates).where(eq(documentUpdates.documentId, id));
      expect(logged.every((r) => !Buffer.from(r.update).includes(Buffer.from('INGEBROKEN')))).toBe(true);
      expect(raw.ws.readyState).toBe(raw.ws.OPEN);
      expect(live.refusedUpdates).toBe(2);
      raw.ws.close();
    },
  );

  it('a downgrade to commenter takes effect on the open connection, which is told when its text is refused; a removal disconnects it with 4403', async () => {
    const id = await newDocument();
    const b = connectProvider(server.url, id, cookies.editorB, { stukwerk: true });
    cleanup.push(() => b.destroy());
    const sessionMessages: unknown[] = [];
    b.provider.messageHandlers[100] = (_e, decoder) =>
      sessionMessages.push(JSON.parse(decoding.readVarString(decoder)));
    await synced(b);
    const api = apiClient(server.url, cookies.editorA);
    expect((await api.patch(`/api/documents/${id}/members/${ids.editorB}`, { role: 'commenter' })).status).toBe(200);
    await vi.waitFor(() =>
      expect(sessionMessages).toEqual([
        expect.objectContaining({ role: 'editor', readOnly: false, reason: 'connected' }),
        expect.objectContaining({ role: 'commenter', readOnly: true, reason: 'role' }),
      ]),
    );
    b.addParagraph('na degradatie');
    await vi.waitFor(() =>
      expect(sessionMessages.at(-1)).toMatchObject({ role: 'commenter', readOnly: true, reason: 'refused' }),
    );
    // The refusal notice came after the server handled the paragraph: a client that joins now sees the final state.
    const a = open('editorA', id);
    await synced(a);
    expect(a.text()).not.toContain('na degradatie');

    const raw = rawClient(server.url, id, cookies.editorB);
    await raw.opened;
    expect((await api.delete(`/api/documents/${id}/members/${ids.editorB}`)).status).toBe(200);
    expect((await raw.closed).code).toBe(4403);
  });
});

describe('refusals and limits', () => {
  it('without a session the upgrade is refused with HTTP 401; a non-member is closed with 4403', async () => {
    const id = await newDocument();
    const anonymous = rawClient(server.url, id);
    expect(await anonymous.unexpected).toBe(401);
    const outsider = rawClient(server.url, id, cookies.outsider);
    expect((await outsider.closed).code).toBe(4403);
    const unknown = rawClient(server.url, '00000000-0000-4000-8000-000000000000', cookies.editorA);
    expect((await unknown.closed).code).toBe(4403);
  });

  it('deactivating a person closes their open connection with 4401', async () => {
    const id = await newDocument();
    const leaving = await makeUser(server, 'Vertrekker');
    await apiClient(server.url, cookies.editorA).post(`/api/documents/${id}/members`, {
      email: leaving.email,
      role: 'editor',
    });
    const raw = rawClient(server.url, id, await signIn(server.url, leaving.email));
    await raw.opened;
    await deactivateUser(server.services.db, leaving.id);
    expect((await raw.closed).code).toBe(4401);
  });

  it('a cross-site Origin on the upgrade is refused', async () => {
    const id = await newDocument();
    const ws = new (await import('ws')).default(`${server.url.replace('http', 'ws')}/collab/${id}`, {
      headers: { cookie: cookies.editorA, origin: 'https://evil.example' },
    });
    ws.on('error', () => {});
    const status = await new Promise<number>((resolve) =>
      ws.on('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(403);
  });

  it('an oversize frame and a malformed frame close only that connection; the others and the stored document are fine', async () => {
    const id = await newDocument();
    const editor = open('editorA', id);
    await synced(editor);
    const big = rawClient(server.url, id, cookies.editorB);
    await big.opened;
    big.send(new Uint8Array(300 * 1024));
    expect((await big.closed).code).toBe(1009);
    const bad = rawClient(server.url, id, cookies.editorB);
    await bad.opened;
    bad.send(syncFrame(2, new Uint8Array([200, 1, 2, 3, 4, 5, 6, 7])));
    expect((await bad.closed).code).toBe(1007);
    const junk = rawClient(server.url, id, cookies.editorB);
    await junk.opened;
    junk.send(new Uint8Array([77]));
    expect((await junk.closed).code).toBe(1007);
    editor.addParagraph('nog steeds verbonden');
    const other = open('editorB', id);
    await synced(other);
    await vi.waitFor(() => expect(other.text()).toContain('nog steeds verbonden'));
    await server.collab.flush();
    expect(editor.provider.wsconnected).toBe(true);
  });

  it('awareness carries the name the server knows, not the one a client claims', async () => {
    const id = await newDocument();
    const a = open('editorA', id);
    const c = open('commenter', id);
    await Promise.all([synced(a), synced(c)]);
    c.provider.awareness.setLocalStateField('user', { name: 'De Voorzitter', color: '#000000' });
    await vi.waitFor(() => {
      const seen = a.provider.awareness.getStates().get(c.ydoc.clientID) as
        { user?: { name: string; id: string } } | undefined;
      expect(seen?.user?.id).toBe(ids.commenter);
      expect(seen?.user?.name).toMatch(/^Burgemeester/);
    });
  });
});

function fragmentHas(ydoc: Y.Doc, needle: string) {
  return ydoc.getXmlFragment(contentFragmentName).toString().includes(needle);
}
