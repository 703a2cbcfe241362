import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, documentMembers, documents } from '../../db/schema';
import { apiClient, signIn } from '../helpers/http';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';
import { deactivateUser } from '../../server/users/users';

let server: TestServer;
let editor: Awaited<ReturnType<typeof makeUser>>;
let commenter: Awaited<ReturnType<typeof makeUser>>;
let outsider: Awaited<ReturnType<typeof makeUser>>;
let asEditor: ReturnType<typeof apiClient>;
let asCommenter: ReturnType<typeof apiClient>;
let asOutsider: ReturnType<typeof apiClient>;

beforeAll(async () => {
  server = await startTestServer();
  editor = await makeUser(server, 'Editor', 'Veiligheidsregio Twente');
  commenter = await makeUser(server, 'Burgemeester', 'Gemeente Hengelo');
  outsider = await makeUser(server, 'Buiten');
  asEditor = apiClient(server.url, await signIn(server.url, editor.email));
  asCommenter = apiClient(server.url, await signIn(server.url, commenter.email));
  asOutsider = apiClient(server.url, await signIn(server.url, outsider.email));
});
afterAll(() => server?.dispose());

/** Row counts that no refused request may change. */
async function snapshot() {
  const db = server.services.db;
  const [d] = await db.select({ n: count() }).from(documents);
  const [m] = await db.select({ n: count() }).from(documentMembers);
  const [a] = await db.select({ n: count() }).from(auditEvents);
  return { documents: d!.n, members: m!.n, audit: a!.n };
}

async function newDocument(title = 'Voorstel test') {
  const res = await asEditor.post('/api/documents', { title, template: 'voorstel' });
  expect(res.status).toBe(201);
  return res.body as { id: string; title: string; status: string; role: string };
}

describe('documents', () => {
  it('an editor creates a voorstel and is its editor; it shows in their list, not in anyone else’s', async () => {
    const doc = await newDocument('Regionale input');
    expect(doc).toMatchObject({ title: 'Regionale input', status: 'draft', role: 'editor' });
    const mine = await asEditor.get('/api/documents');
    expect(mine.body.documents.map((d: { id: string }) => d.id)).toContain(doc.id);
    const theirs = await asOutsider.get('/api/documents');
    expect(theirs.body.documents.map((d: { id: string }) => d.id)).not.toContain(doc.id);
  });

  it('a document shows its metadata from the template, its members and the caller’s role', async () => {
    const doc = await newDocument('Metadata test');
    const res = await asEditor.get(`/api/documents/${doc.id}`);
    expect(res.status).toBe(200);
    expect(res.body.role).toBe('editor');
    expect(res.body.metadata.onderwerp).toBe('Metadata test');
    expect(res.body.members).toEqual([expect.objectContaining({ userId: editor.id, role: 'editor' })]);
  });

  it('a non-member gets 404 for a document, exactly as for an id that does not exist', async () => {
    const doc = await newDocument();
    const hidden = await asOutsider.get(`/api/documents/${doc.id}`);
    const missing = await asOutsider.get('/api/documents/00000000-0000-4000-8000-000000000000');
    const garbage = await asOutsider.get('/api/documents/not-a-uuid');
    for (const res of [hidden, missing, garbage]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: { code: 'not_found:document', message: expect.any(String) } });
    }
  });

  it('without a session the API answers 401 in the error format', async () => {
    const res = await apiClient(server.url).get('/api/documents');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it.each([
    ['no title', { template: 'voorstel' }, 400],
    ['an empty title', { title: '   ' }, 400],
    ['an unknown template', { title: 'x', template: 'brief' }, 400],
    ['an unknown field', { title: 'x', owner: 'someone' }, 400],
    ['a title of 301 characters', { title: 'x'.repeat(301) }, 400],
  ])('creating a document with %s is refused and creates nothing', async (_name, body, status) => {
    const before = await snapshot();
    const res = await asEditor.post('/api/documents', body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe('bad_request:validation');
    expect(await snapshot()).toEqual(before);
  });

  it('malformed JSON, a non-JSON body, an oversize body and a foreign Origin are refused and create nothing', async () => {
    const before = await snapshot();
    const malformed = await asEditor.post('/api/documents', '{"title": ');
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'bad_request:json']);
    const form = await asEditor.post('/api/documents', 'title=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect([form.status, form.body.error.code]).toEqual([415, 'unsupported_media_type']);
    const huge = await asEditor.post('/api/documents', { title: 'x', padding: 'y'.repeat(70_000) });
    expect([huge.status, huge.body.error.code]).toEqual([413, 'too_large']);
    const foreign = await asEditor.post('/api/documents', { title: 'x' }, { origin: 'https://evil.example' });
    expect([foreign.status, foreign.body.error.code]).toEqual([403, 'forbidden:origin']);
    const noOrigin = await fetch(`${server.url}/api/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"title":"x"}',
    });
    expect(noOrigin.status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });
});

describe('members', () => {
  it('an editor invites by e-mail (any case), changes a role and removes a member, each in the audit log', async () => {
    const doc = await newDocument();
    const added = await asEditor.post(`/api/documents/${doc.id}/members`, {
      email: commenter.email.toUpperCase(),
      role: 'commenter',
    });
    expect(added.status).toBe(201);
    expect((await asCommenter.get(`/api/documents/${doc.id}`)).body.role).toBe('commenter');
    const changed = await asEditor.patch(`/api/documents/${doc.id}/members/${commenter.id}`, { role: 'viewer' });
    expect(changed.status).toBe(200);
    expect((await asCommenter.get(`/api/documents/${doc.id}`)).body.role).toBe('viewer');
    const removed = await asEditor.delete(`/api/documents/${doc.id}/members/${commenter.id}`);
    expect(removed.status).toBe(200);
    expect((await asCommenter.get(`/api/documents/${doc.id}`)).status).toBe(404);
    const audit = await asEditor.get(`/api/documents/${doc.id}/audit`);
    expect(audit.body.events.map((e: { action: string }) => e.action)).toEqual([
      'member.removed',
      'member.role_changed',
      'member.added',
      'document.created',
    ]);
  });

  it('a commenter cannot add members, change roles or remove anyone (403), and nothing changes', async () => {
    const doc = await newDocument();
    await asEditor.post(`/api/documents/${doc.id}/members`, { email: commenter.email, role: 'commenter' });
    const before = await snapshot();
    const add = await asCommenter.post(`/api/documents/${doc.id}/members`, { email: outsider.email, role: 'editor' });
    const promote = await asCommenter.patch(`/api/documents/${doc.id}/members/${commenter.id}`, { role: 'editor' });
    const remove = await asCommenter.delete(`/api/documents/${doc.id}/members/${editor.id}`);
    for (const res of [add, promote, remove])
      expect([res.status, res.body.error.code]).toEqual([403, 'forbidden:document']);
    expect(await snapshot()).toEqual(before);
  });

  it('a non-member trying to manage members gets 404, not 403', async () => {
    const doc = await newDocument();
    const res = await asOutsider.post(`/api/documents/${doc.id}/members`, { email: outsider.email, role: 'editor' });
    expect([res.status, res.body.error.code]).toEqual([404, 'not_found:document']);
  });

  it('the last editor cannot be removed or demoted (409); with a second editor they can', async () => {
    const doc = await newDocument();
    const before = await snapshot();
    const demote = await asEditor.patch(`/api/documents/${doc.id}/members/${editor.id}`, { role: 'viewer' });
    const remove = await asEditor.delete(`/api/documents/${doc.id}/members/${editor.id}`);
    for (const res of [demote, remove])
      expect([res.status, res.body.error.code]).toEqual([409, 'conflict:last_editor']);
    expect(await snapshot()).toEqual(before);
    await asEditor.post(`/api/documents/${doc.id}/members`, { email: commenter.email, role: 'editor' });
    expect((await asEditor.patch(`/api/documents/${doc.id}/members/${editor.id}`, { role: 'viewer' })).status).toBe(
      200,
    );
  });

  it('bad member requests get their documented errors and change nothing', async () => {
    const doc = await newDocument();
    await asEditor.post(`/api/documents/${doc.id}/members`, { email: commenter.email, role: 'commenter' });
    const gone = await makeUser(server, 'Vertrokken');
    await deactivateUser(server.services.db, gone.id);
    const before = await snapshot();
    const cases = [
      // (An address without any account gets an invitation instead: tests/integration/invitations.test.ts.)
      [
        await asEditor.post(`/api/documents/${doc.id}/members`, { email: gone.email, role: 'viewer' }),
        404,
        'not_found:user',
      ],
      [
        await asEditor.post(`/api/documents/${doc.id}/members`, { email: commenter.email, role: 'viewer' }),
        409,
        'conflict:member_exists',
      ],
      [
        await asEditor.post(`/api/documents/${doc.id}/members`, { email: 'not-an-email', role: 'viewer' }),
        400,
        'bad_request:validation',
      ],
      [
        await asEditor.post(`/api/documents/${doc.id}/members`, { email: outsider.email, role: 'owner' }),
        400,
        'bad_request:validation',
      ],
      [
        await asEditor.patch(`/api/documents/${doc.id}/members/${outsider.id}`, { role: 'viewer' }),
        404,
        'not_found:member',
      ],
      [
        await asEditor.patch(`/api/documents/${doc.id}/members/not-a-uuid`, { role: 'viewer' }),
        404,
        'not_found:member',
      ],
      [await asEditor.delete(`/api/documents/${doc.id}/members/${outsider.id}`), 404, 'not_found:member'],
    ] as const;
    for (const [res, status, code] of cases) expect([res.status, res.body.error.code]).toEqual([status, code]);
    expect(await snapshot()).toEqual(before);
    const stored = await server.services.db
      .select()
      .from(documentMembers)
      .where(eq(documentMembers.documentId, doc.id));
    expect(stored).toHaveLength(2);
  });
});
