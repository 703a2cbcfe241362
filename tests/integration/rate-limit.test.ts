import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultRateLimits } from '../../server/http/rate-limit';
import { anchorFor } from '../helpers/comments';
import { connectProvider } from '../helpers/collab';
import { apiClient, signIn } from '../helpers/http';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';

/**
 * The limits a real server runs with (tests elsewhere run with limits nobody reaches), except that comments refill
 * over an hour instead of a minute: the burst is the same, and a slow, shared CI machine cannot regain a token
 * between the 30th and the 31st request. The refill timing itself is in tests/unit/rate-limit.test.ts.
 */
const commentLimit = { ...defaultRateLimits.comment, windowMs: 60 * 60_000 };
type Who = 'editor' | 'mayor' | 'clerk';
let server: TestServer;
const cookie = {} as Record<Who, string>;
const user = {} as Record<Who, { id: string; email: string }>;
const api = (who: Who) => apiClient(server.url, cookie[who]);

beforeAll(async () => {
  server = await startTestServer({ rateLimits: { ...defaultRateLimits, comment: commentLimit } });
  for (const who of ['editor', 'mayor', 'clerk'] as const) {
    user[who] = await makeUser(server, who);
    cookie[who] = await signIn(server.url, user[who].email);
  }
});
afterAll(() => server?.dispose());

function expectRateLimited(res: { status: number; body: any }, headers: Headers | undefined, pattern: RegExp) {
  expect(res.status).toBe(429);
  expect(res.body.error.code).toBe('rate_limited');
  expect(res.body.error.message).toMatch(pattern);
  if (headers) {
    const retryAfter = Number(headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
  }
}

/** A request whose response headers we need (the JSON client keeps only status and body). */
async function raw(who: Who, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      cookie: cookie[who],
      origin: server.url,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

describe('per-person write limits', () => {
  it('the 31st comment within a minute is refused with 429, Retry-After and a clear message; another person may still comment', async () => {
    const { body: doc } = await api('editor').post('/api/documents', { title: 'Drukte', template: 'blank' });
    await api('editor').post(`/api/documents/${doc.id}/members`, { email: user.mayor.email, role: 'commenter' });
    const editor = connectProvider(server.url, doc.id, cookie.editor);
    try {
      await vi.waitFor(() => expect(editor.provider.synced).toBe(true), { timeout: 10_000 });
      editor.addParagraph('Gevraagd wordt in te stemmen met bijgaande memo.');
      const anchor = anchorFor(editor.fragment, 'bijgaande memo');
      const created = await api('mayor').post(`/api/documents/${doc.id}/comments`, { anchor, body: 'Opmerking 1' });
      expect(created.status).toBe(201);
      const base = `/api/documents/${doc.id}/comments/${created.body.thread.id}`;
      for (let i = 2; i <= commentLimit.burst; i++) {
        expect((await api('mayor').post(`${base}/replies`, { body: `Opmerking ${i}` })).status).toBe(201);
      }

      const refused = await raw('mayor', 'POST', `${base}/replies`, { body: 'Opmerking 31' });
      expectRateLimited(refused, refused.headers, /^Te veel reacties in korte tijd/);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(
        commentLimit.windowMs / commentLimit.perWindow / 1_000,
      );
      // A new thread counts as a comment too.
      const refusedThread = await raw('mayor', 'POST', `/api/documents/${doc.id}/comments`, {
        anchor,
        body: 'Nog een',
      });
      expectRateLimited(refusedThread, refusedThread.headers, /^Te veel reacties in korte tijd/);

      // Nothing was stored for the refused requests, and the editor is not held back by the mayor's bucket.
      expect((await api('editor').post(`${base}/replies`, { body: 'Van de behandelaar' })).status).toBe(201);
      const { body } = await api('editor').get(base);
      expect(body.thread.commentCount).toBe(commentLimit.burst + 1);
    } finally {
      editor.destroy();
    }
  });

  it('invitations, exports and imports have their own limits per person', async () => {
    // A person with untouched buckets (the editor above already invited someone).
    const { body: doc } = await api('clerk').post('/api/documents', { title: 'Uitnodigingen', template: 'blank' });
    // Refused invitations (unknown address: 404) count as well: the limit guards the attempts.
    for (let i = 0; i < defaultRateLimits.invitation.burst; i++) {
      const res = await api('clerk').post(`/api/documents/${doc.id}/members`, {
        email: `niemand.${i}@example.nl`,
        role: 'viewer',
      });
      expect(res.status).not.toBe(429);
    }
    const invite = await raw('clerk', 'POST', `/api/documents/${doc.id}/members`, {
      email: user.mayor.email,
      role: 'viewer',
    });
    expectRateLimited(invite, invite.headers, /^Te veel uitnodigingen in korte tijd/);

    // Exports with an unknown format are cheap to refuse (400) but still count.
    for (let i = 0; i < defaultRateLimits.export.burst; i++) {
      expect((await api('clerk').get(`/api/documents/${doc.id}/export?format=onbekend`)).status).toBe(400);
    }
    const exported = await raw('clerk', 'GET', `/api/documents/${doc.id}/export?format=md`);
    expectRateLimited(exported, exported.headers, /^Te veel exports in korte tijd/);
    // The mayor's export bucket is untouched (404: not a member of this document, but not refused for the rate).
    expect((await api('mayor').get(`/api/documents/${doc.id}/export?format=md`)).status).toBe(404);

    const importForm = () => {
      const form = new FormData();
      form.set('title', 'Zonder bestand');
      return form;
    };
    const postImport = async (who: Who) => {
      const res = await fetch(`${server.url}/api/documents/import`, {
        method: 'POST',
        headers: { cookie: cookie[who], origin: server.url },
        body: importForm(),
      });
      return { status: res.status, body: await res.json(), headers: res.headers };
    };
    for (let i = 0; i < defaultRateLimits.import.burst; i++) expect((await postImport('mayor')).status).toBe(400);
    const imported = await postImport('mayor');
    expectRateLimited(imported, imported.headers, /^Te veel imports in korte tijd/);
  });
});
