import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, documentMembers } from '../../db/schema';
import { deactivateUser } from '../../server/users/users';
import { apiClient, signIn } from '../helpers/http';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';

/**
 * An editor adds an administrator's group to a document with one role in one step: each person becomes a member of
 * their own (through the members module, so the chair rules and the audit are those of adding one person), people
 * who are already members or deactivated are skipped, and a refused request adds nobody.
 */
let server: TestServer;
const api = {} as Record<'admin' | 'editor' | 'mayor' | 'outsider', ReturnType<typeof apiClient>>;
const ids = {} as Record<'admin' | 'editor' | 'mayor' | 'mayor2' | 'gone', string>;
let mayorsGroup: string;
let chairGroup: string;

beforeAll(async () => {
  server = await startTestServer();
  const admin = await makeUser(server, 'Beheerder', undefined, { isAdmin: true });
  const editor = await makeUser(server, 'Anne', 'Veiligheidsregio Twente');
  const mayor = await makeUser(server, 'Burgemeester Enschede', 'Gemeente Enschede');
  const mayor2 = await makeUser(server, 'Burgemeester Hengelo', 'Gemeente Hengelo');
  const gone = await makeUser(server, 'Oud-burgemeester', 'Gemeente Almelo');
  const outsider = await makeUser(server, 'Buiten');
  Object.assign(ids, { admin: admin.id, editor: editor.id, mayor: mayor.id, mayor2: mayor2.id, gone: gone.id });
  for (const [who, u] of [
    ['admin', admin],
    ['editor', editor],
    ['mayor', mayor],
    ['outsider', outsider],
  ] as const)
    api[who] = apiClient(server.url, await signIn(server.url, u.email));
  await deactivateUser(server.services.db, gone.id);
  mayorsGroup = (
    await api.admin.post('/api/admin/groups', {
      name: 'Alle burgemeesters',
      memberIds: [mayor.id, mayor2.id, gone.id, editor.id],
    })
  ).body.group.id;
  chairGroup = (await api.admin.post('/api/admin/groups', { name: 'Voorzitter', memberIds: [mayor2.id] })).body.group
    .id;
});
afterAll(() => server?.dispose());

const newDocument = async () =>
  (await api.editor.post('/api/documents', { title: 'Regionale input', template: 'voorstel' })).body.id as string;
const membersOf = async (documentId: string) =>
  Object.fromEntries(
    (await server.services.db.select().from(documentMembers).where(eq(documentMembers.documentId, documentId))).map(
      (m) => [m.userId, m.role],
    ),
  );

describe('adding a group to a document', () => {
  it('adds every active person with the role, skips members and deactivated people, audits each', async () => {
    const doc = await newDocument();
    const res = await api.editor.post(`/api/documents/${doc}/groups`, { groupId: mayorsGroup, role: 'commenter' });
    expect(res.status).toBe(200);
    expect(res.body.added.map((a: { userId: string }) => a.userId).sort()).toEqual([ids.mayor, ids.mayor2].sort());
    expect(res.body.skipped).toEqual(
      expect.arrayContaining([
        { userId: ids.editor, name: 'Anne', reason: 'already_member' },
        { userId: ids.gone, name: 'Oud-burgemeester', reason: 'deactivated' },
      ]),
    );
    expect(await membersOf(doc)).toEqual({
      [ids.editor]: 'editor',
      [ids.mayor]: 'commenter',
      [ids.mayor2]: 'commenter',
    });
    const events = await server.services.db.select().from(auditEvents).where(eq(auditEvents.documentId, doc));
    expect(events.filter((e) => e.action === 'member.added').map((e) => e.details.userId)).toEqual(
      expect.arrayContaining([ids.mayor, ids.mayor2]),
    );
    expect(events.find((e) => e.action === 'group.added_to_document')?.details).toMatchObject({
      groupId: mayorsGroup,
      role: 'commenter',
    });
    // The mayor reads the document like any member; later changes are per person.
    expect((await api.mayor.get(`/api/documents/${doc}`)).status).toBe(200);
    expect((await api.editor.patch(`/api/documents/${doc}/members/${ids.mayor}`, { role: 'viewer' })).status).toBe(200);
    expect((await membersOf(doc))[ids.mayor2]).toBe('commenter');
  });

  it('adding the same group again adds nobody and changes no role', async () => {
    const doc = await newDocument();
    await api.editor.post(`/api/documents/${doc}/groups`, { groupId: mayorsGroup, role: 'commenter' });
    const before = await membersOf(doc);
    const again = await api.editor.post(`/api/documents/${doc}/groups`, { groupId: mayorsGroup, role: 'viewer' });
    expect(again.status).toBe(200);
    expect(again.body.added).toEqual([]);
    expect(again.body.skipped).toHaveLength(4);
    expect(await membersOf(doc)).toEqual(before);
  });

  it('a commenter gets 403, a non-member 404, an unknown group 404; nobody is added', async () => {
    const doc = await newDocument();
    await api.editor.post(`/api/documents/${doc}/members`, {
      email: (await server.services.admin.people(ids.admin)).find((p) => p.id === ids.mayor)!.email,
      role: 'commenter',
    });
    const before = await membersOf(doc);
    const byCommenter = await api.mayor.post(`/api/documents/${doc}/groups`, { groupId: mayorsGroup, role: 'viewer' });
    expect(byCommenter.status).toBe(403);
    const byOutsider = await api.outsider.post(`/api/documents/${doc}/groups`, {
      groupId: mayorsGroup,
      role: 'viewer',
    });
    expect([byOutsider.status, byOutsider.body.error.code]).toEqual([404, 'not_found:document']);
    const unknown = await api.editor.post(`/api/documents/${doc}/groups`, {
      groupId: '00000000-0000-4000-8000-000000000000',
      role: 'viewer',
    });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not_found:group']);
    expect(await membersOf(doc)).toEqual(before);
  });

  it('the chair role follows the chair rules: an editor is refused, an administrator who is a member may', async () => {
    const doc = await newDocument();
    const refused = await api.editor.post(`/api/documents/${doc}/groups`, { groupId: chairGroup, role: 'chair' });
    expect(refused.status).toBe(403);
    expect((await membersOf(doc))[ids.mayor2]).toBeUndefined();
    const adminEmail = (await server.services.admin.people(ids.admin)).find((p) => p.id === ids.admin)!.email;
    await api.editor.post(`/api/documents/${doc}/members`, { email: adminEmail, role: 'viewer' });
    const granted = await api.admin.post(`/api/documents/${doc}/groups`, { groupId: chairGroup, role: 'chair' });
    expect(granted.status).toBe(200);
    expect((await membersOf(doc))[ids.mayor2]).toBe('chair');
    const added = await server.services.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.documentId, doc), eq(auditEvents.action, 'member.added')));
    const event = added.find((e) => e.details.userId === ids.mayor2);
    expect([event?.actorId, event?.details.role]).toEqual([ids.admin, 'chair']);
  });

  it('any signed-in person lists group names and sizes (not who is in them)', async () => {
    const res = await api.mayor.get('/api/groups');
    expect(res.status).toBe(200);
    expect(res.body.groups).toContainEqual({ id: mayorsGroup, name: 'Alle burgemeesters', memberCount: 4 });
    expect(JSON.stringify(res.body)).not.toContain(ids.mayor2);
  });
});
