import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, peopleGroups, users } from '../../db/schema';
import { apiClient, signIn, trySignIn } from '../helpers/http';
import { makeUser, startTestServer, testPassword, type TestServer } from '../helpers/server';

/**
 * The administration API (issue 16): people and groups, for administrators only. Every endpoint answers 403 to a
 * signed-in person who is not an administrator (and 401 without a session), and nothing changes; every change by
 * an administrator is in the audit log; nobody changes their own administrator flag or deactivates themselves.
 */
let server: TestServer;
let admin: ReturnType<typeof apiClient>;
let plain: ReturnType<typeof apiClient>;
let adminId: string;
let target: { id: string; email: string };
let groupId: string;

beforeAll(async () => {
  server = await startTestServer();
  const a = await makeUser(server, 'Beheerder', 'Veiligheidsregio Twente', { isAdmin: true });
  adminId = a.id;
  admin = apiClient(server.url, await signIn(server.url, a.email));
  const p = await makeUser(server, 'Gewoon', 'Gemeente Hengelo');
  plain = apiClient(server.url, await signIn(server.url, p.email));
  target = await makeUser(server, 'Doel', 'Gemeente Almelo');
  const [g] = await server.services.db.insert(peopleGroups).values({ name: 'Bestaande groep' }).returning();
  groupId = g!.id;
});
afterAll(() => server?.dispose());

const auditCount = async () => (await server.services.db.select().from(auditEvents)).length;

/** Every admin endpoint, with a body that an administrator's request would get through validation with. */
const endpoints = () =>
  [
    ['GET', '/api/admin/people', undefined],
    ['POST', '/api/admin/people', { email: 'nieuw@example.nl', name: 'Nieuw', password: 'twaalf tekens!' }],
    ['PATCH', `/api/admin/people/${target.id}`, { active: false }],
    ['PATCH', `/api/admin/people/${target.id}`, { isAdmin: true }],
    ['PATCH', `/api/admin/people/${target.id}`, { organisation: 'Gemeente Oldenzaal' }],
    ['GET', '/api/admin/organisations', undefined],
    ['GET', '/api/admin/groups', undefined],
    ['POST', '/api/admin/groups', { name: 'Alle burgemeesters', memberIds: [target.id] }],
    ['PATCH', `/api/admin/groups/${groupId}`, { name: 'Andere naam' }],
    ['DELETE', `/api/admin/groups/${groupId}`, undefined],
  ] as const;

const call = (client: ReturnType<typeof apiClient>, method: string, path: string, body: unknown) =>
  method === 'GET'
    ? client.get(path)
    : method === 'POST'
      ? client.post(path, body)
      : method === 'PATCH'
        ? client.patch(path, body)
        : client.delete(path);

describe('authorization', () => {
  it('a person who is not an administrator gets 403 forbidden:admin on every endpoint, and nothing changes', async () => {
    const before = { audit: await auditCount(), users: (await server.services.db.select().from(users)).length };
    for (const [method, path, body] of endpoints()) {
      const res = await call(plain, method, path, body);
      expect([method, path, res.status, res.body?.error?.code]).toEqual([method, path, 403, 'forbidden:admin']);
    }
    expect(await auditCount()).toBe(before.audit);
    expect((await server.services.db.select().from(users)).length).toBe(before.users);
    const [t] = await server.services.db.select().from(users).where(eq(users.id, target.id));
    expect(t).toMatchObject({ isAdmin: false, deactivatedAt: null, organisation: 'Gemeente Almelo' });
    const [g] = await server.services.db.select().from(peopleGroups).where(eq(peopleGroups.id, groupId));
    expect(g?.name).toBe('Bestaande groep');
  });

  it('without a session every endpoint is 401', async () => {
    const anonymous = apiClient(server.url);
    for (const [method, path, body] of endpoints())
      expect([path, (await call(anonymous, method, path, body)).status]).toEqual([path, 401]);
  });

  it('an administrator whose flag was revoked is refused at once (read from the database, not the session)', async () => {
    const other = await makeUser(server, 'Tijdelijk', undefined, { isAdmin: true });
    const client = apiClient(server.url, await signIn(server.url, other.email));
    expect((await client.get('/api/admin/people')).status).toBe(200);
    expect((await admin.patch(`/api/admin/people/${other.id}`, { isAdmin: false })).status).toBe(200);
    expect((await client.get('/api/admin/people')).status).toBe(403);
  });
});

describe('people', () => {
  it('lists everyone with organisation, status and administrator flag, never a password hash', async () => {
    const res = await admin.get('/api/admin/people');
    expect(res.status).toBe(200);
    const me = res.body.people.find((p: { id: string }) => p.id === adminId);
    expect(me).toEqual({
      id: adminId,
      email: expect.any(String),
      name: 'Beheerder',
      organisation: 'Veiligheidsregio Twente',
      isAdmin: true,
      active: true,
    });
    expect(res.text).not.toMatch(/scrypt|passwordHash/);
    const orgs = await admin.get('/api/admin/organisations');
    expect(orgs.body.organisations).toEqual(
      expect.arrayContaining(['Gemeente Almelo', 'Gemeente Hengelo', 'Veiligheidsregio Twente']),
    );
  });

  it('pages through people and filters them by name, address or organisation; a malformed page is 400', async () => {
    const all = (await admin.get('/api/admin/people?pageSize=500')).body;
    expect(all.total).toBe(all.people.length);
    expect(all.total).toBeGreaterThanOrEqual(3);
    const first = (await admin.get('/api/admin/people?pageSize=2&page=1')).body;
    const second = (await admin.get('/api/admin/people?pageSize=2&page=2')).body;
    expect(first).toMatchObject({ total: all.total, page: 1, pageSize: 2 });
    expect(first.people).toEqual(all.people.slice(0, 2));
    expect(second.people).toEqual(all.people.slice(2, 4));
    const hengelo = (await admin.get('/api/admin/people?q=hEnGeLo')).body;
    expect(hengelo.people.length).toBeGreaterThan(0);
    expect(hengelo.total).toBe(hengelo.people.length);
    for (const p of hengelo.people) expect(`${p.name} ${p.email} ${p.organisation}`.toLowerCase()).toContain('hengelo');
    // `%` is a character to look for, not a wildcard.
    expect((await admin.get('/api/admin/people?q=%25')).body).toMatchObject({ total: 0, people: [] });
    // A page past the end shows the last page.
    const past = (await admin.get('/api/admin/people?pageSize=2&page=999')).body;
    expect(past.page).toBe(Math.ceil(all.total / 2));
    expect(past.people).toEqual(all.people.slice((past.page - 1) * 2));
    expect((await admin.get('/api/admin/people?page=0')).status).toBe(400);
    expect((await admin.get('/api/admin/people?pageSize=100000')).status).toBe(400);
  });

  it('adds a person who can then sign in; a duplicate address is 409; audited with the administrator as actor', async () => {
    const res = await admin.post('/api/admin/people', {
      email: 'E.Smit@Hengelo.nl',
      name: 'Eva Smit',
      password: testPassword,
      organisation: 'Gemeente Hengelo',
    });
    expect(res.status).toBe(201);
    expect(res.body.person).toMatchObject({ email: 'e.smit@hengelo.nl', organisation: 'Gemeente Hengelo' });
    expect((await trySignIn(server.url, 'e.smit@hengelo.nl', testPassword)).cookie).toBeDefined();
    const dup = await admin.post('/api/admin/people', {
      email: 'e.smit@hengelo.nl',
      name: 'X',
      password: testPassword,
    });
    expect(dup.status).toBe(409);
    const [event] = await server.services.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'user.created'), eq(auditEvents.actorId, adminId)));
    expect(event?.details).toMatchObject({ email: 'e.smit@hengelo.nl' });
  });

  it('deactivating ends the person’s sessions at once; reactivating lets them sign in again', async () => {
    const person = await makeUser(server, 'Vertrekkend');
    const client = apiClient(server.url, await signIn(server.url, person.email));
    expect((await client.get('/api/documents')).status).toBe(200);
    const off = await admin.patch(`/api/admin/people/${person.id}`, { active: false });
    expect([off.status, off.body.person.active]).toEqual([200, false]);
    expect((await client.get('/api/documents')).status).toBe(401);
    expect((await trySignIn(server.url, person.email, testPassword)).cookie).toBeUndefined();
    const on = await admin.patch(`/api/admin/people/${person.id}`, { active: true });
    expect([on.status, on.body.person.active]).toEqual([200, true]);
    // The old session stays ended (its version was raised); a new sign-in works.
    expect((await client.get('/api/documents')).status).toBe(401);
    expect((await trySignIn(server.url, person.email, testPassword)).cookie).toBeDefined();
  });

  it('sets the organisation and grants and revokes the administrator flag, each audited', async () => {
    const org = await admin.patch(`/api/admin/people/${target.id}`, { organisation: 'Gemeente Oldenzaal' });
    expect(org.body.person.organisation).toBe('Gemeente Oldenzaal');
    expect((await admin.patch(`/api/admin/people/${target.id}`, { isAdmin: true })).body.person.isAdmin).toBe(true);
    expect((await admin.patch(`/api/admin/people/${target.id}`, { isAdmin: false })).body.person.isAdmin).toBe(false);
    const cleared = await admin.patch(`/api/admin/people/${target.id}`, { organisation: null });
    expect(cleared.body.person.organisation).toBeNull();
    const actions = (
      await server.services.db.select().from(auditEvents).where(eq(auditEvents.actorId, adminId))
    ).filter((e) => e.details.userId === target.id);
    expect(actions.map((e) => e.action)).toEqual([
      'user.updated',
      'user.admin_granted',
      'user.admin_revoked',
      'user.updated',
    ]);
    expect(actions[0]!.details).toMatchObject({ organisation: { from: 'Gemeente Almelo', to: 'Gemeente Oldenzaal' } });
  });

  it('nobody changes their own administrator flag or deactivates themselves (403)', async () => {
    const self = await admin.patch(`/api/admin/people/${adminId}`, { isAdmin: false });
    expect([self.status, self.body.error.code]).toEqual([403, 'forbidden:own_admin']);
    const off = await admin.patch(`/api/admin/people/${adminId}`, { active: false });
    expect([off.status, off.body.error.code]).toEqual([403, 'forbidden:own_account']);
    const [me] = await server.services.db.select().from(users).where(eq(users.id, adminId));
    expect(me).toMatchObject({ isAdmin: true, deactivatedAt: null });
  });

  it('validates bodies: one change per request, unknown fields refused, an unknown person is 404', async () => {
    expect((await admin.patch(`/api/admin/people/${target.id}`, { active: false, isAdmin: true })).status).toBe(400);
    expect((await admin.patch(`/api/admin/people/${target.id}`, { role: 'admin' })).status).toBe(400);
    expect((await admin.post('/api/admin/people', { email: 'x@example.nl', name: 'X', password: 'kort' })).status).toBe(
      400,
    );
    const unknown = await admin.patch('/api/admin/people/00000000-0000-4000-8000-000000000000', { active: true });
    expect(unknown.status).toBe(404);
  });
});

describe('groups', () => {
  it('an administrator creates, renames, refills and deletes a group; names are unique in any case; audited', async () => {
    const mayor = await makeUser(server, 'Burgemeester', 'Gemeente Enschede');
    const created = await admin.post('/api/admin/groups', { name: 'Alle burgemeesters', memberIds: [mayor.id] });
    expect(created.status).toBe(201);
    const id = created.body.group.id as string;
    expect((await admin.post('/api/admin/groups', { name: 'alle BURGEMEESTERS' })).status).toBe(409);
    expect(
      (
        await admin.post('/api/admin/groups', {
          name: 'Onbekenden',
          memberIds: ['00000000-0000-4000-8000-000000000000'],
        })
      ).status,
    ).toBe(422);
    const listed = (await admin.get('/api/admin/groups')).body.groups.find((g: { id: string }) => g.id === id);
    expect(listed).toEqual({
      id,
      name: 'Alle burgemeesters',
      members: [{ id: mayor.id, name: 'Burgemeester', organisation: 'Gemeente Enschede' }],
    });
    expect((await admin.patch(`/api/admin/groups/${id}`, { memberIds: [mayor.id, target.id] })).status).toBe(204);
    const summaries = (await plain.get('/api/groups')).body.groups;
    expect(summaries).toContainEqual({ id, name: 'Alle burgemeesters', memberCount: 2 });
    expect((await admin.delete(`/api/admin/groups/${id}`)).status).toBe(204);
    expect((await admin.delete(`/api/admin/groups/${id}`)).status).toBe(404);
    const events = await server.services.db.select().from(auditEvents).where(eq(auditEvents.actorId, adminId));
    expect(events.filter((e) => e.details.groupId === id).map((e) => e.action)).toEqual([
      'group.created',
      'group.updated',
      'group.deleted',
    ]);
  });
});
