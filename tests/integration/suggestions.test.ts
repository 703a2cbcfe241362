import { eq } from 'drizzle-orm';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { documentUpdates } from '../../db/schema';
import { loadDocument } from '../../server/collab/persistence';
import { jsonFromYDoc } from '../../server/content/prosemirror';
import { suggestionsFromJSON } from '../../common/suggestions';
import { connectProvider, messageTypes, rawClient, syncFrame } from '../helpers/collab';
import { anchorFor, plain, textContaining } from '../helpers/comments';
import { apiClient, signIn } from '../helpers/http';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';

type Who = 'editor' | 'commenter' | 'chair' | 'viewer' | 'outsider';
let server: TestServer;
const api = {} as Record<Who, ReturnType<typeof apiClient>>;
const cookie = {} as Record<Who, string>;
const ids = {} as Record<Who, string>;
const emails = {} as Record<Who, string>;
const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((f) => f()));

const sentence = 'De regio biedt een handreiking aan de gemeenten.';

beforeAll(async () => {
  server = await startTestServer();
  const people: Record<Who, [string, string | undefined]> = {
    editor: ['Anne', undefined],
    commenter: ['Burgemeester', 'Gemeente Hengelo'],
    chair: ['Carla', undefined],
    viewer: ['Lezer', undefined],
    outsider: ['Buiten', undefined],
  };
  for (const who of Object.keys(people) as Who[]) {
    // The editor is an administrator: only an administrator grants the chair role.
    const u = await makeUser(server, people[who][0], people[who][1], { isAdmin: who === 'editor' });
    ids[who] = u.id;
    emails[who] = u.email;
    cookie[who] = await signIn(server.url, u.email);
    api[who] = apiClient(server.url, cookie[who]);
  }
});
afterAll(() => server?.dispose());

function open(who: Who, id: string) {
  const client = connectProvider(server.url, id, cookie[who]);
  cleanup.push(() => client.destroy());
  return client;
}
const synced = (c: ReturnType<typeof open>) =>
  vi.waitFor(() => expect(c.provider.synced).toBe(true), { timeout: 10_000 });

/** A voorstel with every role, and the editor's paragraph `sentence` in it (typed through the editor's connection). */
async function newDocument() {
  const { body } = await api.editor.post('/api/documents', { title: 'Voorstellen', template: 'voorstel' });
  for (const [who, role] of [
    ['commenter', 'commenter'],
    ['chair', 'chair'],
    ['viewer', 'viewer'],
  ] as const) {
    expect((await api.editor.post(`/api/documents/${body.id}/members`, { email: emails[who], role })).status).toBe(201);
  }
  const editor = open('editor', body.id);
  await synced(editor);
  editor.addParagraph(sentence);
  const live = () => server.collab.loadedDocument(body.id)!;
  await vi.waitFor(() => expect(liveText(live().ydoc)).toContain(sentence));
  return { id: body.id as string, editor, live };
}

const liveText = (ydoc: Y.Doc) => suggestionsAndText(ydoc).text;
function suggestionsAndText(ydoc: Y.Doc) {
  const json = jsonFromYDoc(ydoc);
  const flat: string[] = [];
  const walk = (n: { text?: string; content?: unknown[] }) => {
    if (n.text) flat.push(n.text);
    (n.content as { text?: string }[] | undefined)?.forEach(walk);
  };
  walk(json);
  return { text: flat.join(''), suggestions: suggestionsFromJSON(json) };
}

const attrs = (id: string, authorId: string) => ({ id, authorId, createdAt: new Date().toISOString() });

/** `who` replaces "handreiking" by "aanbod" in suggestion mode, as the browser would write it. */
async function suggestReplacement(who: Who, documentId: string, suggestionId: string) {
  const client = open(who, documentId);
  await synced(client);
  const t = textContaining(client.fragment, 'handreiking');
  const at = plain(t).indexOf('handreiking');
  client.ydoc.transact(() => {
    t.format(at, 'handreiking'.length, { suggestionDelete: attrs(suggestionId, ids[who]) });
    t.insert(at + 'handreiking'.length, 'aanbod', { suggestionInsert: attrs(suggestionId, ids[who]) });
  });
  return client;
}

describe('suggestions over the collaboration connection (stock y-websocket clients)', () => {
  it("a commenter's suggestion is applied, stored and reaches an editor; the list names its author", async () => {
    const { id, editor, live } = await newDocument();
    await suggestReplacement('commenter', id, 'sug-1');
    await vi.waitFor(() => expect(suggestionsAndText(editor.ydoc).suggestions).toHaveLength(1));
    expect(suggestionsAndText(editor.ydoc).suggestions[0]).toMatchObject({
      id: 'sug-1',
      kind: 'replace',
      text: 'handreiking',
      replacement: 'aanbod',
      authorId: ids.commenter,
    });
    expect(live().refusedUpdates).toBe(0);
    await server.collab.flush();
    const stored = await loadDocument(server.services.db, id);
    expect(suggestionsFromJSON(jsonFromYDoc(stored!.ydoc)).map((s) => s.id)).toEqual(['sug-1']);
    stored!.ydoc.destroy();

    const { status, body } = await api.viewer.get(`/api/documents/${id}/suggestions`);
    expect(status).toBe(200);
    expect(body).toEqual({
      suggestions: [
        {
          id: 'sug-1',
          kind: 'replace',
          text: 'handreiking',
          replacement: 'aanbod',
          author: { id: ids.commenter, name: 'Burgemeester', organisation: 'Gemeente Hengelo' },
          createdAt: expect.any(String),
        },
      ],
    });
    expect((await api.outsider.get(`/api/documents/${id}/suggestions`)).status).toBe(404);
  });

  it("a commenter's update that changes accepted text reaches no one and is not stored; the connection is told", async () => {
    const { id, editor, live } = await newDocument();
    const raw = rawClient(server.url, id, cookie.commenter);
    await raw.opened;
    await vi.waitFor(() => expect(messageTypes(raw.received)).toContain(0));
    // A hand-made update: a genuine suggestion of the commenter's own, plus a deletion of accepted text.
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(live().ydoc));
    const before = Y.encodeStateVector(copy);
    const t = textContaining(copy.getXmlFragment('default'), 'handreiking');
    copy.transact(() => {
      t.insert(0, 'Ook: ', { suggestionInsert: attrs('sug-x', ids.commenter) });
      t.delete(plain(t).indexOf('regio'), 'regio '.length);
    });
    raw.send(syncFrame(2, Y.encodeStateAsUpdate(copy, before)));
    editor.addParagraph('marker'); // processed after the frame above (one ordered server loop)
    await vi.waitFor(() => expect(liveText(live().ydoc)).toContain('marker'));
    await server.collab.flush();
    expect(live().refusedUpdates).toBe(1);
    expect(liveText(editor.ydoc)).toContain(sentence);
    expect(liveText(editor.ydoc)).not.toContain('Ook: ');
    const logged = await server.services.db.select().from(documentUpdates).where(eq(documentUpdates.documentId, id));
    expect(logged.some((r) => Buffer.from(r.update).includes(Buffer.from('Ook: ')))).toBe(false);
    raw.ws.close();

    // The Stukwerk client is told, as for any refused write (session message, reason `refused`).
    const told = connectProvider(server.url, id, cookie.commenter, { stukwerk: true });
    cleanup.push(() => told.destroy());
    const sessions: { reason?: string; can?: { suggest: boolean } }[] = [];
    told.provider.messageHandlers[100] = (_e, d) => sessions.push(JSON.parse(decoding.readVarString(d)));
    await synced(told);
    expect(sessions[0]).toMatchObject({ reason: 'connected', can: { suggest: true } });
    textContaining(told.fragment, 'handreiking').insert(0, 'Zomaar ');
    await vi.waitFor(() => expect(sessions.at(-1)).toMatchObject({ reason: 'refused' }));
    expect(live().refusedUpdates).toBe(2);
  });

  it('a viewer cannot suggest: their suggestion is refused like any write', async () => {
    const { id, live } = await newDocument();
    await suggestReplacement('viewer', id, 'sug-v');
    await vi.waitFor(() => expect(live().refusedUpdates).toBe(1));
    expect(suggestionsAndText(live().ydoc).suggestions).toEqual([]);
  });
});

describe('accept, reject and withdraw through the API', () => {
  it('editors and the chair accept and reject; the author withdraws; others are refused by role', async () => {
    const { id, editor, live } = await newDocument();
    const path = (sid: string, action: string) => `/api/documents/${id}/suggestions/${sid}/${action}`;
    await suggestReplacement('commenter', id, 'sug-a');
    await vi.waitFor(() => expect(suggestionsAndText(live().ydoc).suggestions).toHaveLength(1));

    for (const who of ['commenter', 'viewer'] as const) {
      for (const action of ['accept', 'reject'])
        expect((await api[who].post(path('sug-a', action))).body.error.code).toBe('forbidden:suggestion');
    }
    for (const who of ['editor', 'chair', 'viewer'] as const)
      expect((await api[who].post(path('sug-a', 'withdraw'))).status).toBe(403);
    expect((await api.outsider.post(path('sug-a', 'accept'))).status).toBe(404);
    expect((await api.editor.post(path('onbekend', 'accept'))).body.error.code).toBe('not_found:suggestion');
    expect((await api.editor.post(path('niet geldig!', 'accept'))).status).toBe(404);

    // The chair accepts: "aanbod" becomes plain text and "handreiking" goes, live for the editor's client too.
    expect((await api.chair.post(path('sug-a', 'accept'))).body).toEqual({ id: 'sug-a', outcome: 'accepted' });
    const accepted = 'De regio biedt een aanbod aan de gemeenten.';
    await vi.waitFor(() => expect(liveText(editor.ydoc)).toContain(accepted));
    expect(suggestionsAndText(editor.ydoc).suggestions).toEqual([]);
    expect((await api.chair.post(path('sug-a', 'accept'))).status).toBe(404); // decided already

    // The editor rejects a second one; the commenter withdraws a third.
    const again = async (sid: string) => {
      const c = open('commenter', id);
      await synced(c);
      const t = textContaining(c.fragment, 'aanbod');
      t.insert(plain(t).indexOf('aanbod'), 'ruim ', { suggestionInsert: attrs(sid, ids.commenter) });
      await vi.waitFor(() => expect(suggestionsAndText(live().ydoc).suggestions.map((s) => s.id)).toContain(sid));
      c.destroy();
    };
    await again('sug-b');
    expect((await api.editor.post(path('sug-b', 'reject'))).body.outcome).toBe('rejected');
    await again('sug-c');
    expect((await api.commenter.post(path('sug-c', 'withdraw'))).body.outcome).toBe('withdrawn');
    await vi.waitFor(() => expect(liveText(editor.ydoc)).toContain(accepted));
    expect(liveText(live().ydoc)).not.toContain('ruim');

    // Stored through the update log, and in the audit log with who did it.
    await server.collab.flush();
    const stored = await loadDocument(server.services.db, id);
    expect(liveText(stored!.ydoc)).toContain(accepted);
    stored!.ydoc.destroy();
    const { body: audit } = await api.editor.get(`/api/documents/${id}/audit`);
    const events = (audit.events as { action: string; actorName: string; details: { suggestionId: string } }[])
      .filter((e) => e.action.startsWith('suggestion.'))
      .map((e) => [e.action, e.details.suggestionId, e.actorName]);
    expect(events.reverse()).toEqual([
      ['suggestion.accepted', 'sug-a', 'Carla'],
      ['suggestion.rejected', 'sug-b', 'Anne'],
      ['suggestion.withdrawn', 'sug-c', 'Burgemeester'],
    ]);
  });

  it('open suggestions block the move to ready and the sign-off (409 conflict:open_suggestions); locked text refuses decisions', async () => {
    const { id, live } = await newDocument();
    await suggestReplacement('commenter', id, 'sug-l');
    await vi.waitFor(() => expect(suggestionsAndText(live().ydoc).suggestions).toHaveLength(1));
    const status = (to: string) => api.editor.post(`/api/documents/${id}/status`, { status: to });
    expect((await status('review')).status).toBe(200);
    const blocked = await status('ready');
    expect([blocked.status, blocked.body.error.code, blocked.body.error.details]).toEqual([
      409,
      'conflict:open_suggestions',
      { suggestionIds: ['sug-l'] },
    ]);
    expect((await api.editor.post(`/api/documents/${id}/suggestions/sug-l/reject`)).status).toBe(200);
    expect((await status('ready')).status).toBe(200);

    // Locked: every decision is refused, whatever the id (the status is checked before the suggestion is looked up).
    const path = (action: string) => `/api/documents/${id}/suggestions/sug-l/${action}`;
    expect((await api.editor.post(path('accept'))).body.error.code).toBe('conflict:not_editable');
    expect((await api.chair.post(path('reject'))).body.error.code).toBe('conflict:not_editable');
    expect((await api.commenter.post(path('withdraw'))).body.error.code).toBe('conflict:not_editable');
    expect((await api.viewer.post(path('accept'))).status).toBe(403); // role before status

    // A suggestion that slipped in just before the lock (simulated here on the live document) blocks the sign-off,
    // which checks the very state it would sign.
    const t = textContaining(live().ydoc.getXmlFragment('default'), 'handreiking');
    live().ydoc.transact(() => t.insert(0, 'Ook ', { suggestionInsert: attrs('sug-race', ids.commenter) }));
    const refused = await api.chair.post(`/api/documents/${id}/sign-off`);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'conflict:open_suggestions']);
    expect(live().status).toBe('ready');
    expect((await status('draft')).status).toBe(200);
    expect((await api.editor.post(`/api/documents/${id}/suggestions/sug-race/reject`)).status).toBe(200);
    expect((await status('review')).status).toBe(200);
    expect((await status('ready')).status).toBe(200);
    expect((await api.chair.post(`/api/documents/${id}/sign-off`)).status).toBe(200);
    expect((await api.editor.post(path('accept'))).body.error.code).toBe('conflict:signed_off');
    expect((await api.commenter.post(path('withdraw'))).body.error.code).toBe('conflict:signed_off');
  });

  it('accept-all and reject-all per author are for editors; a thread may discuss a suggestion', async () => {
    const { id, editor, live } = await newDocument();
    const commenterClient = await suggestReplacement('commenter', id, 'sug-1');
    await vi.waitFor(() => expect(suggestionsAndText(live().ydoc).suggestions).toHaveLength(1));
    const t = textContaining(commenterClient.fragment, 'gemeenten');
    t.insert(plain(t).indexOf('gemeenten'), 'alle ', { suggestionInsert: attrs('sug-2', ids.commenter) });
    await vi.waitFor(() => expect(suggestionsAndText(live().ydoc).suggestions).toHaveLength(2));

    const thread = await api.commenter.post(`/api/documents/${id}/comments`, {
      anchor: anchorFor(commenterClient.fragment, 'aanbod'),
      body: 'Aanbod past beter bij de toon.',
      suggestionId: 'sug-1',
    });
    expect(thread.status).toBe(201);
    expect(thread.body.thread.suggestionId).toBe('sug-1');
    const listed = (await api.editor.get(`/api/documents/${id}/suggestions`)).body.suggestions;
    expect(listed.map((s: { id: string; threadId?: string }) => [s.id, s.threadId])).toEqual([
      ['sug-1', thread.body.thread.id],
      ['sug-2', undefined],
    ]);

    const all = `/api/documents/${id}/suggestions/accept-all`;
    expect((await api.chair.post(all, { authorId: ids.commenter })).status).toBe(403);
    expect((await api.editor.post(all, { authorId: 'geen-id' })).status).toBe(400);
    expect((await api.editor.post(all, { authorId: ids.commenter })).body).toEqual({
      outcome: 'accepted',
      suggestionIds: ['sug-1', 'sug-2'],
    });
    await vi.waitFor(() => expect(liveText(editor.ydoc)).toContain('De regio biedt een aanbod aan de alle gemeenten.'));
    expect(
      (await api.editor.post(`/api/documents/${id}/suggestions/reject-all`, { authorId: ids.commenter })).body,
    ).toEqual({ outcome: 'rejected', suggestionIds: [] });
  });
});
