import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectProvider } from '../helpers/collab';
import { anchoredText, anchorFor, collectCommentEvents, plain, textContaining } from '../helpers/comments';
import { apiClient, signIn } from '../helpers/http';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';

type Who = 'editorA' | 'editorB' | 'mayor' | 'viewer';
let server: TestServer;
const cookie = {} as Record<Who, string>;
const user = {} as Record<Who, { id: string; email: string; name: string }>;
const api = (who: Who) => apiClient(server.url, cookie[who]);
const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((f) => f()));

beforeAll(async () => {
  server = await startTestServer();
  const names: Record<Who, [string, string?]> = {
    editorA: ['Anne'],
    editorB: ['Bram'],
    mayor: ['Daan Visser', 'Gemeente Enschede'],
    viewer: ['Lezer'],
  };
  for (const [who, [name, org]] of Object.entries(names) as [Who, [string, string?]][]) {
    user[who] = await makeUser(server, name, org);
    cookie[who] = await signIn(server.url, user[who].email);
  }
});
afterAll(() => server?.dispose());

function open(who: Who, documentId: string) {
  const client = connectProvider(server.url, documentId, cookie[who], { stukwerk: true });
  cleanup.push(() => client.destroy());
  return client;
}
const synced = (c: ReturnType<typeof open>) =>
  vi.waitFor(() => expect(c.provider.synced).toBe(true), { timeout: 10_000 });

const sentence = 'Gevraagd wordt in te stemmen met bijgaande memo.';
const passage = 'in te stemmen met bijgaande memo';

/** A document with three paragraphs, every role, and an editor and the mayor connected. */
async function setup() {
  const { body: doc } = await api('editorA').post('/api/documents', { title: 'Commentaar', template: 'blank' });
  for (const [who, role] of [
    ['editorB', 'editor'],
    ['mayor', 'commenter'],
    ['viewer', 'viewer'],
  ] as const) {
    await api('editorA').post(`/api/documents/${doc.id}/members`, { email: user[who].email, role });
  }
  const editor = open('editorB', doc.id);
  const mayor = open('mayor', doc.id);
  await Promise.all([synced(editor), synced(mayor)]);
  for (const line of ['Eerste alinea over de regio.', sentence, 'Slotalinea.']) editor.addParagraph(line);
  await vi.waitFor(() => expect(mayor.text()).toContain('Slotalinea.'));
  return { id: doc.id as string, editor, mayor };
}

describe('anchored comment threads', () => {
  it('an anchor stays on the same words while another client inserts and deletes before and inside the passage', async () => {
    const { id, editor, mayor } = await setup();
    const created = await api('mayor').post(`/api/documents/${id}/comments`, {
      anchor: anchorFor(mayor.fragment, passage),
      body: 'Graag toelichten.',
    });
    expect(created.status).toBe(201);
    const thread = created.body.thread;
    expect(thread).toMatchObject({
      quote: passage,
      status: 'open',
      detached: false,
      createdBy: { name: 'Daan Visser', organisation: 'Gemeente Enschede' },
    });

    const t = textContaining(editor.fragment, passage);
    editor.ydoc.transact(() => {
      t.insert(0, 'Daarom: '); // before, in the same paragraph
      editor.fragment.insert(0, [paragraphOf('Een nieuwe eerste alinea.')]); // before, a new paragraph
    });
    t.insert(plain(t).indexOf('memo'), 'genoemde '); // inside
    t.delete(plain(t).indexOf('Gevraagd'), 'Gevraagd '.length); // before, deleted
    t.delete(plain(t).indexOf('te stemmen'), 'te '.length); // inside, deleted
    t.insert(plain(t).indexOf(' in stemmen'), ' ook'); // exactly at the start: outside the passage
    t.insert(plain(t).indexOf('.'), ' en bijlagen'); // exactly at the end: outside the passage

    const expected = 'in stemmen met bijgaande genoemde memo';
    expect(anchoredText(editor.ydoc, thread.anchor)).toBe(expected);
    await vi.waitFor(() => expect(anchoredText(mayor.ydoc, thread.anchor)).toBe(expected));
    expect(plain(textContaining(mayor.fragment, expected))).toBe(
      'Daarom: wordt ook in stemmen met bijgaande genoemde memo en bijlagen.',
    );
    // The server resolves the anchor on its live document the same way: still attached, after the first paragraphs.
    const { body } = await api('viewer').get(`/api/documents/${id}/comments`);
    expect(body.threads[0]).toMatchObject({ id: thread.id, detached: false, quote: passage });
    expect(body.threads[0].position).toBeGreaterThan(
      'Een nieuwe eerste alinea.\nEerste alinea over de regio.\n'.length,
    );
  });

  it('deleting the passage leaves a detached thread with its quoted text; threads list in document order, detached last', async () => {
    const { id, editor, mayor } = await setup();
    const post = (phrase: string, body: string) =>
      api('mayor')
        .post(`/api/documents/${id}/comments`, { anchor: anchorFor(mayor.fragment, phrase), body })
        .then((r) => r.body.thread);
    const last = await post('Slotalinea', 'over het slot');
    const middle = await post(passage, 'over de memo');
    const first = await post('over de regio', 'over de regio');
    const ordered = await api('viewer').get(`/api/documents/${id}/comments`);
    expect(ordered.body.threads.map((x: { id: string }) => x.id)).toEqual([first.id, middle.id, last.id]);
    const t = textContaining(editor.fragment, passage);
    t.delete(plain(t).indexOf(passage), passage.length);
    const firstParagraph = textContaining(editor.fragment, 'over de regio').parent as Y.XmlElement;
    editor.fragment.delete(editor.fragment.toArray().indexOf(firstParagraph), 1); // the whole paragraph
    await vi.waitFor(async () => {
      const { body } = await api('viewer').get(`/api/documents/${id}/comments`);
      expect(
        body.threads.map((x: { id: string; detached: boolean; quote: string }) => [x.id, x.detached, x.quote]),
      ).toEqual([
        [last.id, false, 'Slotalinea'],
        [middle.id, true, passage],
        [first.id, true, 'over de regio'],
      ]);
    });
    expect(anchoredText(mayor.ydoc, last.anchor)).toBe('Slotalinea');
    // A detached thread can still be answered and resolved.
    expect(
      (await api('editorA').post(`/api/documents/${id}/comments/${middle.id}/replies`, { body: 'Passage geschrapt.' }))
        .status,
    ).toBe(201);
    expect((await api('editorA').post(`/api/documents/${id}/comments/${middle.id}/resolve`)).body.thread.status).toBe(
      'resolved',
    );
    const open = await api('viewer').get(`/api/documents/${id}/comments?status=open`);
    expect(open.body.threads.map((x: { id: string }) => x.id)).toEqual([last.id, first.id]);
    const resolved = await api('viewer').get(`/api/documents/${id}/comments?status=resolved`);
    expect(resolved.body.threads.map((x: { id: string }) => x.id)).toEqual([middle.id]);
  });

  it('a new comment, reply, edit, resolve and reopen reach another connected client within a second, without polling', async () => {
    const { id, editor, mayor } = await setup();
    const viewer = open('viewer', id);
    await synced(viewer);
    const events = collectCommentEvents(viewer.provider);
    const editorEvents = collectCommentEvents(editor.provider);
    const latencies: number[] = [];
    const expectEvent = async (type: string, action: () => Promise<{ status: number }>) => {
      const before = events.length;
      const sent = performance.now();
      const res = await action();
      expect(res.status).toBeLessThan(300);
      await vi.waitFor(() => expect(events.slice(before).map((e) => e.type)).toEqual([type]), {
        timeout: 1_000,
        interval: 5,
      });
      latencies.push(events.at(-1)!.receivedAt - sent);
      return events.at(-1)!;
    };
    const created = await expectEvent('thread.created', () =>
      api('mayor').post(`/api/documents/${id}/comments`, {
        anchor: anchorFor(mayor.fragment, passage),
        body: 'Wat betekent dit voor Enschede?',
      }),
    );
    const threadId = created.thread.id;
    expect(created.thread.comments.map((c) => c.body)).toEqual(['Wat betekent dit voor Enschede?']);
    const base = `/api/documents/${id}/comments/${threadId}`;
    const replied = await expectEvent('comment.added', () =>
      api('editorB').post(`${base}/replies`, { body: 'Zie paragraaf 2.' }),
    );
    const replyId = replied.thread.comments[1]!.id;
    const edited = await expectEvent('comment.edited', () =>
      api('editorB').patch(`${base}/comments/${replyId}`, { body: 'Zie paragraaf 3.' }),
    );
    expect(edited.thread.comments[1]!.body).toBe('Zie paragraaf 3.');
    expect((await expectEvent('thread.resolved', () => api('mayor').post(`${base}/resolve`))).thread.status).toBe(
      'resolved',
    );
    expect((await expectEvent('thread.reopened', () => api('editorA').post(`${base}/reopen`))).thread.status).toBe(
      'open',
    );
    const deleted = await expectEvent('comment.deleted', () => api('editorB').delete(`${base}/comments/${replyId}`));
    expect(deleted.thread.comments[1]!.body).toBeNull();
    expect(editorEvents.map((e) => e.type)).toEqual(events.map((e) => e.type));
    console.log(
      `[comments] live event latency (HTTP request → remote client), ms: ${latencies.map((l) => l.toFixed(1)).join(', ')}`,
    );
  });

  it('a script in a comment is stored and served as text, never as markup', async () => {
    const { id, mayor } = await setup();
    const evil = '<script>alert("x")</script>\n<img src=x onerror="alert(1)"> & Co';
    const res = await api('mayor').post(`/api/documents/${id}/comments`, {
      anchor: anchorFor(mayor.fragment, passage),
      body: evil,
    });
    expect(res.status).toBe(201);
    const served = await fetch(`${server.url}/api/documents/${id}/comments`, { headers: { cookie: cookie.viewer } });
    // Served as a JSON string, never as a page a browser would render; the browser test shows it rendered as text.
    expect(served.headers.get('content-type')).toMatch(/^application\/json/);
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    const body = (await served.json()) as { threads: { comments: { body: string }[] }[] };
    expect(body.threads[0]!.comments[0]!.body).toBe(evil);
  });

  it('a mention of a member becomes a notification for them, with an unread count and a link to the thread', async () => {
    const { id, mayor } = await setup();
    const res = await api('mayor').post(`/api/documents/${id}/comments`, {
      anchor: anchorFor(mayor.fragment, passage),
      body: '@Anne kun je dit aanpassen?',
      mentions: [user.editorA.id, user.mayor.id],
    });
    expect(res.body.thread.comments[0].mentions).toEqual([user.editorA.id, user.mayor.id]);
    const inbox = await api('editorA').get('/api/notifications');
    expect(inbox.body.unread).toBe(1);
    expect(inbox.body.notifications[0]).toMatchObject({
      kind: 'mention',
      documentId: id,
      threadId: res.body.thread.id,
      actor: { name: 'Daan Visser', organisation: 'Gemeente Enschede' },
      excerpt: '@Anne kun je dit aanpassen?',
      readAt: null,
    });
    // Not for mentioning oneself (the mayor's list holds other events of this file: replies in their threads).
    const mayorInbox = (await api('mayor').get('/api/notifications')).body.notifications as {
      kind: string;
      documentId: string;
    }[];
    expect(mayorInbox.filter((n) => n.kind === 'mention' && n.documentId === id)).toEqual([]);
    const notificationId = inbox.body.notifications[0].id;
    expect((await api('mayor').post(`/api/notifications/${notificationId}/read`)).status).toBe(404); // not theirs
    expect((await api('editorA').post(`/api/notifications/${notificationId}/read`)).status).toBe(200);
    expect((await api('editorA').get('/api/notifications')).body.unread).toBe(0);
    // Removed from the document: its notifications are out of sight too.
    await api('mayor').post(`/api/documents/${id}/comments/${res.body.thread.id}/replies`, {
      body: '@Lezer ook jij',
      mentions: [user.viewer.id],
    });
    expect((await api('viewer').get('/api/notifications')).body.unread).toBe(1);
    await api('editorA').delete(`/api/documents/${id}/members/${user.viewer.id}`);
    expect((await api('viewer').get('/api/notifications')).body).toEqual({ unread: 0, notifications: [] });
  });
});

function paragraphOf(text: string) {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  return p;
}
