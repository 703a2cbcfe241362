import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, documentMembers } from '../../db/schema';
import { apiClient, signIn } from '../helpers/http';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';

/**
 * Separation of duties: the chair role is granted or taken away only by an administrator, or handed over by the
 * current chair; nobody changes their own role; a document past draft keeps a chair.
 */
type Who = 'admin' | 'editor' | 'editor2' | 'chair' | 'commenter';
let server: TestServer;
const id = {} as Record<Who, string>;
const email = {} as Record<Who, string>;
const api = {} as Record<Who, ReturnType<typeof apiClient>>;

beforeAll(async () => {
  server = await startTestServer();
  const names: Record<Who, string> = {
    admin: 'Beheerder',
    editor: 'Anne',
    editor2: 'Bram',
    chair: 'Carla',
    commenter: 'Daan',
  };
  for (const who of Object.keys(names) as Who[]) {
    const user = await makeUser(server, names[who], undefined, { isAdmin: who === 'admin' });
    id[who] = user.id;
    email[who] = user.email;
    api[who] = apiClient(server.url, await signIn(server.url, user.email));
  }
});
afterAll(() => server?.dispose());

/** Rows that no refused request may change. */
async function snapshot() {
  const db = server.services.db;
  const members = await db.select().from(documentMembers);
  const [audit] = await db.select({ n: count() }).from(auditEvents);
  return { members: members.map((m) => `${m.documentId}/${m.userId}/${m.role}`).sort(), audit: audit!.n };
}

/** A document of `editor` with a second editor and a commenter; the administrator (a viewer) makes `chair` chair. */
async function newDocument(status: 'draft' | 'review' | 'ready' = 'draft'): Promise<string> {
  const { body } = await api.editor.post('/api/documents', { title: 'Scheiding van functies', template: 'blank' });
  for (const [who, role] of [
    ['editor2', 'editor'],
    ['commenter', 'commenter'],
    ['admin', 'viewer'],
  ] as const) {
    expect((await api.editor.post(`/api/documents/${body.id}/members`, { email: email[who], role })).status).toBe(201);
  }
  expect(
    (await api.admin.post(`/api/documents/${body.id}/members`, { email: email.chair, role: 'chair' })).status,
  ).toBe(201);
  if (status !== 'draft')
    expect((await api.editor.post(`/api/documents/${body.id}/status`, { status: 'review' })).status).toBe(200);
  if (status === 'ready')
    expect((await api.editor.post(`/api/documents/${body.id}/status`, { status: 'ready' })).status).toBe(200);
  return body.id;
}

const roleOf = async (who: Who, documentId: string) => (await api[who].get(`/api/documents/${documentId}`)).body.role;

describe('the chair role', () => {
  it('an editor cannot make themselves chair, and cannot then sign off (403, nothing changes)', async () => {
    const doc = await newDocument('review');
    const before = await snapshot();
    const self = await api.editor.patch(`/api/documents/${doc}/members/${id.editor}`, { role: 'chair' });
    expect([self.status, self.body.error.code]).toEqual([403, 'forbidden:chair_role']);
    expect((await api.editor.post(`/api/documents/${doc}/sign-off`)).status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it('an editor cannot make someone else chair, by a role change or by inviting them as chair (403)', async () => {
    const doc = await newDocument();
    const before = await snapshot();
    const promote = await api.editor.patch(`/api/documents/${doc}/members/${id.editor2}`, { role: 'chair' });
    expect([promote.status, promote.body.error.code]).toEqual([403, 'forbidden:chair_role']);
    await api.editor.delete(`/api/documents/${doc}/members/${id.commenter}`);
    const invite = await api.editor.post(`/api/documents/${doc}/members`, { email: email.commenter, role: 'chair' });
    expect([invite.status, invite.body.error.code]).toEqual([403, 'forbidden:chair_role']);
    await api.editor.post(`/api/documents/${doc}/members`, { email: email.commenter, role: 'commenter' });
    expect((await snapshot()).members).toEqual(before.members);
  });

  it('an editor cannot remove or demote the chair (403); an administrator cannot remove the only chair of a document in review (409)', async () => {
    const doc = await newDocument('review');
    const before = await snapshot();
    const remove = await api.editor.delete(`/api/documents/${doc}/members/${id.chair}`);
    expect([remove.status, remove.body.error.code]).toEqual([403, 'forbidden:chair_role']);
    const demote = await api.editor.patch(`/api/documents/${doc}/members/${id.chair}`, { role: 'viewer' });
    expect([demote.status, demote.body.error.code]).toEqual([403, 'forbidden:chair_role']);
    const adminRemove = await api.admin.delete(`/api/documents/${doc}/members/${id.chair}`);
    expect([adminRemove.status, adminRemove.body.error.code]).toEqual([409, 'conflict:last_chair']);
    const adminDemote = await api.admin.patch(`/api/documents/${doc}/members/${id.chair}`, { role: 'editor' });
    expect([adminDemote.status, adminDemote.body.error.code]).toEqual([409, 'conflict:last_chair']);
    expect(await snapshot()).toEqual(before);
    expect(await roleOf('chair', doc)).toBe('chair');
  });

  it('nobody raises their own role or changes their own chair role, not even an administrator (403); an editor may step down', async () => {
    const doc = await newDocument();
    const before = await snapshot();
    for (const [who, role, code] of [
      ['admin', 'chair', 'forbidden:own_role'],
      ['chair', 'editor', 'forbidden:chair_role'],
      ['commenter', 'editor', 'forbidden:document'],
    ] as const) {
      const res = await api[who].patch(`/api/documents/${doc}/members/${id[who]}`, { role });
      expect([res.status, res.body.error.code], `${who} → ${role}`).toEqual([403, code]);
    }
    // An administrator who is an editor still cannot make themselves chair.
    expect((await api.editor.patch(`/api/documents/${doc}/members/${id.admin}`, { role: 'editor' })).status).toBe(200);
    const adminEditor = await api.admin.patch(`/api/documents/${doc}/members/${id.admin}`, { role: 'chair' });
    expect([adminEditor.status, adminEditor.body.error.code]).toEqual([403, 'forbidden:own_role']);
    expect((await snapshot()).members.length).toBe(before.members.length);
    const stepDown = await api.editor2.patch(`/api/documents/${doc}/members/${id.editor2}`, { role: 'viewer' });
    expect([stepDown.status, await roleOf('editor2', doc)]).toEqual([200, 'viewer']);
    const back = await api.editor2.patch(`/api/documents/${doc}/members/${id.editor2}`, { role: 'editor' });
    expect([back.status, back.body.error.code]).toEqual([403, 'forbidden:document']);
  });

  it('the chair hands over to another member in one step: the new one is chair, the old one a commenter, in the audit log', async () => {
    const doc = await newDocument('ready');
    const res = await api.chair.patch(`/api/documents/${doc}/members/${id.editor2}`, { role: 'chair' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      documentId: doc,
      userId: id.editor2,
      role: 'chair',
      previousChair: { documentId: doc, userId: id.chair, role: 'commenter' },
    });
    expect(await roleOf('editor2', doc)).toBe('chair');
    expect(await roleOf('chair', doc)).toBe('commenter');
    // The old chair can no longer sign off; the new one can, once the document is ready for it.
    expect((await api.chair.post(`/api/documents/${doc}/sign-off`)).status).toBe(403);
    expect((await api.editor2.post(`/api/documents/${doc}/sign-off`)).status).toBe(200);
    const audit = (await api.editor.get(`/api/documents/${doc}/audit`)).body.events;
    expect(audit.find((e: { action: string }) => e.action === 'member.chair_handed_over').details).toMatchObject({
      from: id.chair,
      to: id.editor2,
    });
  });

  it('an administrator who is a member grants the chair role and takes it away again on a draft', async () => {
    const doc = await newDocument();
    const grant = await api.admin.patch(`/api/documents/${doc}/members/${id.commenter}`, { role: 'chair' });
    expect([grant.status, grant.body.role]).toEqual([200, 'chair']);
    expect(await roleOf('commenter', doc)).toBe('chair');
    const take = await api.admin.patch(`/api/documents/${doc}/members/${id.commenter}`, { role: 'commenter' });
    expect(take.status).toBe(200);
    // A draft needs no chair: the administrator may remove the last one.
    expect((await api.admin.delete(`/api/documents/${doc}/members/${id.chair}`)).status).toBe(200);
    const audit = (await api.editor.get(`/api/documents/${doc}/audit`)).body.events;
    expect(
      audit.filter(
        (e: { action: string; details: { asAdmin?: boolean } }) =>
          e.action === 'member.role_changed' && e.details.asAdmin,
      ),
    ).toHaveLength(2);
  });

  it('an administrator who is not a member of the document gets 404, as anyone else', async () => {
    const { body } = await api.editor.post('/api/documents', { title: 'Niet van de beheerder', template: 'blank' });
    await api.editor.post(`/api/documents/${body.id}/members`, { email: email.commenter, role: 'commenter' });
    const res = await api.admin.patch(`/api/documents/${body.id}/members/${id.commenter}`, { role: 'chair' });
    expect([res.status, res.body.error.code]).toEqual([404, 'not_found:document']);
  });
});
