import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { anchorFor } from '../helpers/comments';
import { connectProvider } from '../helpers/collab';
import { apiClient, signIn } from '../helpers/http';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';

/**
 * Message types 100 (session) and 101 (comments) are Stukwerk's own: the stock y-websocket client logs "Unable to
 * compute message" for each, so the server sends them only to clients that announced `?client=stukwerk&v=1`.
 */
let server: TestServer;
const cookie = {} as Record<'editor' | 'mayor', string>;
const email = {} as Record<'editor' | 'mayor', string>;
const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((f) => f()));

beforeAll(async () => {
  server = await startTestServer();
  for (const [who, name] of [
    ['editor', 'Anne'],
    ['mayor', 'Burgemeester'],
  ] as const) {
    const user = await makeUser(server, name);
    email[who] = user.email;
    cookie[who] = await signIn(server.url, user.email);
  }
});
afterAll(() => server?.dispose());

function open(who: 'editor' | 'mayor', id: string, stukwerk: boolean) {
  const client = connectProvider(server.url, id, cookie[who], { stukwerk });
  const sessions: { role: string; readOnly: boolean; reason?: string }[] = [];
  const comments: { type: string }[] = [];
  // Set before the first frame can arrive (the socket opens asynchronously).
  client.provider.messageHandlers[100] = (_e, d) => sessions.push(JSON.parse(decoding.readVarString(d)));
  client.provider.messageHandlers[101] = (_e, d) => comments.push(JSON.parse(decoding.readVarString(d)));
  cleanup.push(() => client.destroy());
  return Object.assign(client, { sessions, comments });
}
const synced = (c: { provider: { synced: boolean } }) =>
  vi.waitFor(() => expect(c.provider.synced).toBe(true), { timeout: 10_000 });

async function newDocument() {
  const api = apiClient(server.url, cookie.editor);
  const { body } = await api.post('/api/documents', { title: 'Eigen berichten', template: 'voorstel' });
  expect((await api.post(`/api/documents/${body.id}/members`, { email: email.mayor, role: 'commenter' })).status).toBe(
    201,
  );
  return body.id as string;
}

describe('Stukwerk’s own message types', () => {
  it('a stock y-websocket client never receives type 100 or 101 while comments, status and roles change; a Stukwerk client does', async () => {
    const id = await newDocument();
    const stock = open('mayor', id, false);
    const ours = open('mayor', id, true);
    const unparsable = vi.spyOn(console, 'error');
    cleanup.push(() => unparsable.mockRestore());
    await Promise.all([synced(stock), synced(ours)]);

    const mayorApi = apiClient(server.url, cookie.mayor);
    const editorApi = apiClient(server.url, cookie.editor);
    const posted = await mayorApi.post(`/api/documents/${id}/comments`, {
      anchor: anchorFor(ours.fragment, 'Besluit'),
      body: 'Graag toelichten.',
    });
    expect(posted.status).toBe(201);
    expect((await editorApi.post(`/api/documents/${id}/status`, { status: 'review' })).status).toBe(200);
    const mayorId = (await server.services.db.query.users.findFirst({
      where: (u, { eq }) => eq(u.email, email.mayor),
    }))!.id;
    expect((await editorApi.patch(`/api/documents/${id}/members/${mayorId}`, { role: 'viewer' })).status).toBe(200);

    await vi.waitFor(() => {
      expect(ours.comments.map((c) => c.type)).toContain('thread.created');
      expect(ours.sessions.map((s) => s.reason)).toEqual(['connected', 'role', 'role']);
      expect(ours.sessions.at(-1)).toMatchObject({ role: 'viewer', readOnly: true });
    });
    // A marker update sent after everything above proves every earlier frame has reached the stock client too.
    const marker = open('editor', id, false);
    await synced(marker);
    marker.addParagraph('laatste');
    await vi.waitFor(() => expect(stock.text()).toContain('laatste'));
    expect(stock.receivedTypes.filter((t) => t >= 100)).toEqual([]);
    expect(stock.sessions).toEqual([]);
    expect(stock.comments).toEqual([]);
    expect(ours.receivedTypes.filter((t) => t >= 100).length).toBeGreaterThanOrEqual(4);
    expect(unparsable.mock.calls.filter((args) => String(args[0]).includes('Unable to compute message'))).toEqual([]);
  });

  it('a read-only Stukwerk client is told once its text is refused, but not for a normal handshake in a document with deletions', async () => {
    const id = await newDocument();
    const editor = open('editor', id, true);
    await synced(editor);
    // A deletion makes every client's sync step 2 carry a delete set, which the server already knows.
    editor.addParagraph('weg ermee');
    const fragment = editor.fragment;
    fragment.delete(fragment.length - 1, 1);
    const mayor = open('mayor', id, true);
    await synced(mayor);
    // What the editor sends after the mayor synced reaches the mayor after the server handled the mayor's handshake.
    editor.addParagraph('na de handdruk');
    await vi.waitFor(() => expect(mayor.text()).toContain('na de handdruk'));
    expect(mayor.sessions).toEqual([
      expect.objectContaining({ role: 'commenter', readOnly: true, reason: 'connected' }),
    ]);

    mayor.addParagraph('mag niet');
    await vi.waitFor(() => expect(mayor.sessions.at(-1)).toMatchObject({ readOnly: true, reason: 'refused' }));
    expect(server.collab.loadedDocument(id)!.refusedUpdates).toBe(1);
    expect(editor.text()).not.toContain('mag niet');
    // A deletion of known text is news too, and refused as such.
    const before = mayor.sessions.length;
    Y.transact(mayor.ydoc, () => mayor.fragment.delete(0, 1));
    await vi.waitFor(() => expect(mayor.sessions.length).toBe(before + 1));
    expect(mayor.sessions.at(-1)).toMatchObject({ reason: 'refused' });
  });
});
