import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commentThreads, documents } from '../../db/schema';
import { apiClient, signIn } from '../helpers/http';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';

/** Text that PostgreSQL, Yjs or UTF-8 cannot hold is refused at the boundary with 400, never a 500 from deeper down. */
let server: TestServer;
let api: ReturnType<typeof apiClient>;
beforeAll(async () => {
  server = await startTestServer();
  const user = await makeUser(server, 'Anne');
  api = apiClient(server.url, await signIn(server.url, user.email));
});
afterAll(() => server?.dispose());

const documentCount = async () => (await server.services.db.select({ n: count() }).from(documents))[0]!.n;

describe('characters no field may hold', () => {
  // JSON.stringify writes these as the escapes `\u0000` and `\ud800`, exactly what a probe would send.
  it.each([
    ['a NUL in the title', { title: 'Voorstel\u0000' }],
    ['a lone high surrogate in the title', { title: 'Voorstel \uD800' }],
    ['a lone low surrogate in the title', { title: '\uDC00 Voorstel' }],
    ['a NUL in an unknown field’s name', { title: 'Voorstel', ['x\u0000']: 1 }],
    ['a lone surrogate nested in an array', { title: 'Voorstel', extra: [['\uD83D']] }],
  ])('%s is refused with 400 bad_request:text and nothing is created', async (_name, body) => {
    const before = await documentCount();
    const res = await api.post('/api/documents', body);
    expect([res.status, res.body.error.code]).toEqual([400, 'bad_request:text']);
    expect(res.body.error.message).toMatch(/NUL/);
    expect(await documentCount()).toBe(before);
  });

  it('a whole surrogate pair (an emoji) is ordinary text and accepted', async () => {
    const res = await api.post('/api/documents', { title: 'Voorstel 🚒' });
    expect([res.status, res.body.title]).toEqual([201, 'Voorstel 🚒']);
  });

  it('a NUL in a comment body is refused with 400 too', async () => {
    const { body: doc } = await api.post('/api/documents', { title: 'Commentaar', template: 'voorstel' });
    const res = await api.post(`/api/documents/${doc.id}/comments`, {
      anchor: { start: 'AAAA', end: 'AAAA' },
      body: 'a\u0000b',
    });
    expect([res.status, res.body.error.code]).toEqual([400, 'bad_request:text']);
  });
});

describe('comment anchors', () => {
  it.each(['null', 'bnVsbA==', 'AAAA'])(
    'the anchor %j decodes to no position in the document: 422 invalid:anchor, no thread',
    async (anchor) => {
      const { body: doc } = await api.post('/api/documents', { title: 'Anker', template: 'voorstel' });
      const threads = async () => (await server.services.db.select({ n: count() }).from(commentThreads))[0]!.n;
      const before = await threads();
      const res = await api.post(`/api/documents/${doc.id}/comments`, {
        anchor: { start: anchor, end: anchor },
        body: 'Opmerking',
      });
      expect([res.status, res.body.error.code]).toEqual([422, 'invalid:anchor']);
      expect(await threads()).toBe(before);
    },
  );
});
