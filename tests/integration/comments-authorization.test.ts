import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { documents } from '../../db/schema';
import { connectProvider } from '../helpers/collab';
import { anchorFor } from '../helpers/comments';
import { apiClient, signIn } from '../helpers/http';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';
import { contentFragmentName } from '../../common/schema/fragment';

/** Every comment action by every kind of person, on a draft and on a signed-off document. */
type Who = 'editor' | 'author2' | 'commenter' | 'chair' | 'viewer' | 'outsider';
let server: TestServer;
const cookie = {} as Record<Who, string>;
const email = {} as Record<Who, string>;
const api = (who: Who) => apiClient(server.url, cookie[who]);

beforeAll(async () => {
  server = await startTestServer();
  const names: Record<Who, [string, string?]> = {
    editor: ['Anne'],
    author2: ['Bram'],
    commenter: ['Burgemeester', 'Gemeente Enschede'],
    chair: ['Voorzitter'],
    viewer: ['Lezer'],
    outsider: ['Buiten'],
  };
  for (const [who, [name, org]] of Object.entries(names) as [Who, [string, string?]][]) {
    // The first editor is an administrator: only an administrator grants the chair role (setup below).
    const user = await makeUser(server, name, org, { isAdmin: who === 'editor' });
    email[who] = user.email;
    cookie[who] = await signIn(server.url, user.email);
  }
});
afterAll(() => server?.dispose());

const phrase = 'in te stemmen met bijgaande memo';

/** A document with text, every role, and one thread started by the second editor. */
async function setup() {
  const { body: doc } = await api('editor').post('/api/documents', { title: 'Rechten', template: 'blank' });
  const roles: [Who, string][] = [
    ['author2', 'editor'],
    ['commenter', 'commenter'],
    ['chair', 'chair'],
    ['viewer', 'viewer'],
  ];
  for (const [who, role] of roles)
    expect((await api('editor').post(`/api/documents/${doc.id}/members`, { email: email[who], role })).status).toBe(
      201,
    );
  const client = connectProvider(server.url, doc.id, cookie.editor);
  await vi.waitFor(() => expect(client.provider.synced).toBe(true));
  client.addParagraph(`Gevraagd wordt ${phrase}. Tweede zin van de alinea.`);
  await vi.waitFor(() =>
    expect(server.collab.loadedDocument(doc.id)?.ydoc.getXmlFragment(contentFragmentName).toString()).toContain(phrase),
  );
  const anchor = anchorFor(client.fragment, phrase);
  client.destroy();
  const base = await api('author2').post(`/api/documents/${doc.id}/comments`, { anchor, body: 'Eerste opmerking' });
  expect(base.status).toBe(201);
  return { id: doc.id as string, anchor, thread: base.body.thread as { id: string; comments: { id: string }[] } };
}

const people: Who[] = ['editor', 'commenter', 'chair', 'viewer', 'outsider'];

describe('who may do what with comments', () => {
  it('on a draft: editors, commenters and the chair write; viewers only read; outsiders learn nothing', async () => {
    const { id, anchor, thread } = await setup();
    const otherComment = thread.comments[0]!.id;
    const results: Record<string, Record<Who, number>> = {};
    const record = (action: string, who: Who, status: number) =>
      ((results[action] ??= {} as Record<Who, number>)[who] = status);
    for (const who of people) {
      const c = api(who);
      const base = `/api/documents/${id}/comments`;
      record('list', who, (await c.get(base)).status);
      record('read one', who, (await c.get(`${base}/${thread.id}`)).status);
      const created = await c.post(base, { anchor, body: `Van ${who}` });
      record('create', who, created.status);
      record('reply', who, (await c.post(`${base}/${thread.id}/replies`, { body: `Antwoord van ${who}` })).status);
      record('resolve other’s', who, (await c.post(`${base}/${thread.id}/resolve`)).status);
      record('reopen other’s', who, (await c.post(`${base}/${thread.id}/reopen`)).status);
      record(
        'edit other’s comment',
        who,
        (await c.patch(`${base}/${thread.id}/comments/${otherComment}`, { body: 'overschreven' })).status,
      );
      record('delete other’s comment', who, (await c.delete(`${base}/${thread.id}/comments/${otherComment}`)).status);
      if (created.status === 201) {
        const own = created.body.thread;
        record('resolve own', who, (await c.post(`${base}/${own.id}/resolve`)).status);
        record('reopen own', who, (await c.post(`${base}/${own.id}/reopen`)).status);
        record(
          'edit own comment',
          who,
          (await c.patch(`${base}/${own.id}/comments/${own.comments[0].id}`, { body: 'bijgewerkt' })).status,
        );
        record('delete own comment', who, (await c.delete(`${base}/${own.id}/comments/${own.comments[0].id}`)).status);
      }
    }
    expect(results).toEqual({
      list: { editor: 200, commenter: 200, chair: 200, viewer: 200, outsider: 404 },
      'read one': { editor: 200, commenter: 200, chair: 200, viewer: 200, outsider: 404 },
      create: { editor: 201, commenter: 201, chair: 201, viewer: 403, outsider: 404 },
      reply: { editor: 201, commenter: 201, chair: 201, viewer: 403, outsider: 404 },
      'resolve other’s': { editor: 200, commenter: 403, chair: 200, viewer: 403, outsider: 404 },
      'reopen other’s': { editor: 200, commenter: 403, chair: 200, viewer: 403, outsider: 404 },
      'edit other’s comment': { editor: 403, commenter: 403, chair: 403, viewer: 403, outsider: 404 },
      'delete other’s comment': { editor: 403, commenter: 403, chair: 403, viewer: 403, outsider: 404 },
      'resolve own': { editor: 200, commenter: 200, chair: 200 },
      'reopen own': { editor: 200, commenter: 200, chair: 200 },
      'edit own comment': { editor: 200, commenter: 200, chair: 200 },
      'delete own comment': { editor: 200, commenter: 200, chair: 200 },
    });
    // The other person's comment is untouched; deleted ones show as deleted, in place.
    const { body } = await api('viewer').get(`/api/documents/${id}/comments`);
    const base = body.threads.find((t: { id: string }) => t.id === thread.id);
    expect(base.comments[0].body).toBe('Eerste opmerking');
    expect(base.comments.map((c: { body: string }) => c.body)).toEqual([
      'Eerste opmerking',
      'Antwoord van editor',
      'Antwoord van commenter',
      'Antwoord van chair',
    ]);
    const deleted = body.threads
      .filter((t: { id: string }) => t.id !== thread.id)
      .map((t: { comments: { body: null; deletedAt: string }[] }) => t.comments[0]);
    expect(deleted).toHaveLength(3);
    for (const c of deleted) expect(c).toMatchObject({ body: null, deletedAt: expect.any(String) });
  });

  it('on a signed-off document threads stay readable and every write is refused with 409', async () => {
    const { id, anchor, thread } = await setup();
    const { body: mine } = await api('commenter').post(`/api/documents/${id}/comments`, {
      anchor,
      body: 'Van de burgemeester',
    });
    await server.services.db.update(documents).set({ status: 'signed_off' }).where(eq(documents.id, id));
    server.collab.setStatus(id, 'signed_off');
    const base = `/api/documents/${id}/comments`;
    const outcome: Record<string, number[]> = {};
    for (const who of people) {
      const c = api(who);
      outcome[who] = [
        (await c.get(base)).status,
        (await c.post(base, { anchor, body: 'te laat' })).status,
        (await c.post(`${base}/${thread.id}/replies`, { body: 'te laat' })).status,
        (await c.post(`${base}/${thread.id}/resolve`)).status,
      ];
    }
    expect(outcome).toEqual({
      editor: [200, 409, 409, 409],
      commenter: [200, 409, 409, 409],
      chair: [200, 409, 409, 409],
      viewer: [200, 403, 403, 403],
      outsider: [404, 404, 404, 404],
    });
    const own = mine.thread;
    const edit = await api('commenter').patch(`${base}/${own.id}/comments/${own.comments[0].id}`, {
      body: 'gewijzigd',
    });
    expect(edit.status).toBe(409);
    expect(edit.body.error.code).toBe('conflict:signed_off');
    expect((await api('commenter').delete(`${base}/${own.id}/comments/${own.comments[0].id}`)).status).toBe(409);
    const { body } = await api('viewer').get(base);
    expect(body.threads.map((t: { comments: { body: string }[] }) => t.comments[0]!.body).sort()).toEqual([
      'Eerste opmerking',
      'Van de burgemeester',
    ]);
  });

  it('refuses requests without a session, from another origin, malformed, too large or with a bad anchor', async () => {
    const { id, anchor, thread } = await setup();
    const base = `/api/documents/${id}/comments`;
    const anon = apiClient(server.url);
    expect((await anon.get(base)).status).toBe(401);
    expect((await anon.post(base, { anchor, body: 'x' })).status).toBe(401);
    const c = api('commenter');
    const foreign = await c.post(base, { anchor, body: 'x' }, { origin: 'https://evil.example' });
    expect([foreign.status, foreign.body.error.code]).toEqual([403, 'forbidden:origin']);
    const cases: [unknown, number, string][] = [
      [{ anchor, body: '   ' }, 400, 'bad_request:validation'],
      [{ anchor, body: 'x', extra: 1 }, 400, 'bad_request:validation'],
      [{ anchor: { start: 'not base64!', end: anchor.end }, body: 'x' }, 400, 'bad_request:validation'],
      [{ anchor, body: 'x'.repeat(10_001) }, 400, 'bad_request:validation'],
      [{ anchor: { start: anchor.end, end: anchor.start }, body: 'x' }, 422, 'invalid:anchor'],
      [{ anchor: { start: 'AAAA', end: 'AAAA' }, body: 'x' }, 422, 'invalid:anchor'],
      [{ anchor, body: 'x', mentions: [(await makeUser(server, 'Vreemde')).id] }, 422, 'invalid:mention'],
    ];
    for (const [body, status, code] of cases) {
      const res = await c.post(base, body);
      expect([res.status, res.body?.error?.code], JSON.stringify(body).slice(0, 80)).toEqual([status, code]);
      expect(res.text).not.toMatch(/at .*\.ts:\d+/); // never a stack trace
    }
    expect((await c.post(base, 'x'.repeat(70 * 1024))).status).toBe(413);
    expect((await c.post(base, '{"anchor":')).status).toBe(400);
    expect((await c.post(`${base}/${thread.id}/replies`, { body: 'x' }, { 'content-type': 'text/plain' })).status).toBe(
      415,
    );
    expect((await c.post(`${base}/not-a-uuid/replies`, { body: 'x' })).body.error.code).toBe('not_found:thread');
    expect((await c.post(`${base}/${crypto.randomUUID()}/resolve`)).status).toBe(404);
    // A thread of one document cannot be reached through another document's address.
    const other = await setup();
    expect((await c.post(`/api/documents/${other.id}/comments/${thread.id}/replies`, { body: 'x' })).status).toBe(404);
  });
});
