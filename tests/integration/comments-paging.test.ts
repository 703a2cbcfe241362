import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { commentsShownPerThread, threadsPerPage } from '../../server/comments/schemas';
import { connectProvider } from '../helpers/collab';
import { anchorFor } from '../helpers/comments';
import { apiClient, signIn } from '../helpers/http';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';

type Who = 'editor' | 'viewer' | 'outsider';
let server: TestServer;
const cookie = {} as Record<Who, string>;
const user = {} as Record<Who, { id: string; email: string }>;
const api = (who: Who) => apiClient(server.url, cookie[who]);
const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((f) => f()));

beforeAll(async () => {
  server = await startTestServer();
  for (const who of ['editor', 'viewer', 'outsider'] as const) {
    user[who] = await makeUser(server, who);
    cookie[who] = await signIn(server.url, user[who].email);
  }
});
afterAll(() => server?.dispose());

/** A document with one paragraph to comment on, the viewer a member; returns its id and an anchor on the passage. */
async function documentWithPassage() {
  const { body: doc } = await api('editor').post('/api/documents', { title: 'Veel discussies', template: 'blank' });
  await api('editor').post(`/api/documents/${doc.id}/members`, { email: user.viewer.email, role: 'viewer' });
  const client = connectProvider(server.url, doc.id, cookie.editor);
  cleanup.push(() => client.destroy());
  await vi.waitFor(() => expect(client.provider.synced).toBe(true), { timeout: 10_000 });
  client.addParagraph('Gevraagd wordt in te stemmen met bijgaande memo.');
  await vi.waitFor(async () => {
    const res = await api('editor').post(`/api/documents/${doc.id}/comments`, {
      anchor: anchorFor(client.fragment, 'bijgaande memo'),
      body: 'Thread 0',
    });
    expect(res.status).toBe(201);
  });
  return { id: doc.id as string, anchor: anchorFor(client.fragment, 'bijgaande memo') };
}

/** Follows `nextCursor` from the first page to the last; returns every page's ids. */
async function walk(path: string, key: 'threads' | 'comments', query = '') {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') || query ? '&' : '?';
    const res = await api('viewer').get(`${path}${query ? `?${query}` : ''}${cursor ? `${sep}cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    pages.push(res.body[key].map((x: { id: string }) => x.id));
    cursor = res.body.nextCursor;
  } while (cursor && pages.length < 100);
  return pages;
}

describe('paged comment lists', () => {
  it('120 threads come in pages of the limit; the cursor walks all of them once, also while threads are added', async () => {
    const { id, anchor } = await documentWithPassage();
    const created = [(await api('viewer').get(`/api/documents/${id}/comments`)).body.threads[0].id as string];
    for (let i = 1; i < 120; i++) {
      const res = await api('editor').post(`/api/documents/${id}/comments`, { anchor, body: `Thread ${i}` });
      expect(res.status).toBe(201);
      created.push(res.body.thread.id);
    }

    const pages = await walk(`/api/documents/${id}/comments`, 'threads');
    expect(pages.map((p) => p.length)).toEqual([
      threadsPerPage.default,
      threadsPerPage.default,
      120 - 2 * threadsPerPage.default,
    ]);
    const seen = pages.flat();
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set(created));

    const small = await walk(`/api/documents/${id}/comments`, 'threads', 'limit=7');
    expect(small.slice(0, -1).every((p) => p.length === 7)).toBe(true);
    expect(small.flat().sort()).toEqual([...created].sort());

    // Pages are in creation order: a thread created during a walk turns up once, on a later page.
    const first = await api('viewer').get(`/api/documents/${id}/comments?limit=100`);
    const late = await api('editor').post(`/api/documents/${id}/comments`, { anchor, body: 'Te laat' });
    const second = await api('viewer').get(`/api/documents/${id}/comments?limit=100&cursor=${first.body.nextCursor}`);
    expect(second.body.nextCursor).toBeNull();
    const walked = [...first.body.threads, ...second.body.threads].map((t: { id: string }) => t.id);
    expect(walked.filter((x) => x === late.body.thread.id)).toHaveLength(1);
    expect(walked).toHaveLength(121);

    // The status filter pages the same way.
    for (const threadId of created.slice(0, 12))
      await api('editor').post(`/api/documents/${id}/comments/${threadId}/resolve`);
    const resolved = await walk(`/api/documents/${id}/comments`, 'threads', 'status=resolved&limit=5');
    expect(resolved.map((p) => p.length)).toEqual([5, 5, 2]);
    expect(resolved.flat().sort()).toEqual(created.slice(0, 12).sort());
  });

  it('a malformed cursor or limit is refused with 400; outsiders learn nothing', async () => {
    const { id } = await documentWithPassage();
    const base = `/api/documents/${id}/comments`;
    const forged = Buffer.from(JSON.stringify({ t: 'gisteren', id: 'x' })).toString('base64url');
    const notJson = Buffer.from('geen json').toString('base64url');
    for (const query of [
      'cursor=!!',
      `cursor=${forged}`,
      `cursor=${notJson}`,
      `cursor=${'A'.repeat(500)}`,
      'limit=0',
      'limit=101',
      'limit=abc',
      'limit=2.5',
    ]) {
      const res = await api('viewer').get(`${base}?${query}`);
      expect([query, res.status, res.body.error.code]).toEqual([query, 400, 'bad_request:validation']);
    }
    const { body } = await api('viewer').get(base);
    const threadId = body.threads[0].id;
    expect((await api('viewer').get(`${base}/${threadId}/comments?cursor=${forged}`)).status).toBe(400);
    expect((await api('outsider').get(base)).status).toBe(404);
    expect((await api('outsider').get(`${base}/${threadId}/comments`)).status).toBe(404);
  });

  it('a long thread shows its first and latest comments with the count; its comment pages hold every comment in order', async () => {
    const { id } = await documentWithPassage();
    const base = `/api/documents/${id}/comments`;
    const threadId = (await api('viewer').get(base)).body.threads[0].id as string;
    const replies = 45;
    for (let i = 1; i <= replies; i++) {
      expect((await api('editor').post(`${base}/${threadId}/replies`, { body: `Antwoord ${i}` })).status).toBe(201);
    }

    const pages = await walk(`${base}/${threadId}/comments`, 'comments', 'limit=10');
    expect(pages.map((p) => p.length)).toEqual([10, 10, 10, 10, 6]);
    const all = pages.flat();
    expect(new Set(all).size).toBe(replies + 1);
    const everything = (await api('viewer').get(`${base}/${threadId}/comments?limit=100`)).body.comments as {
      id: string;
      body: string;
    }[];
    expect(everything.map((c) => c.id)).toEqual(all);
    expect(everything.map((c) => c.body)).toEqual([
      'Thread 0',
      ...Array.from({ length: replies }, (_, i) => `Antwoord ${i + 1}`),
    ]);

    // In the list and in the thread's own view: the opening comment, then the latest ones.
    const expected = [everything[0]!.id, ...everything.slice(-(commentsShownPerThread - 1)).map((c) => c.id)];
    for (const thread of [
      (await api('viewer').get(base)).body.threads[0],
      (await api('viewer').get(`${base}/${threadId}`)).body.thread,
    ]) {
      expect(thread.commentCount).toBe(replies + 1);
      expect(thread.comments.map((c: { id: string }) => c.id)).toEqual(expected);
    }
  });
});
