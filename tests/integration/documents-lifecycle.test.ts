import * as decoding from 'lib0/decoding';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditEvents, documentMembers, documents } from '../../db/schema';
import { purgeDeleted } from '../../server/documents/lifecycle';
import { connectProvider, rawClient } from '../helpers/collab';
import { apiClient, signIn } from '../helpers/http';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';

/** Rename, archive/unarchive, delete/restore, duplicate and the purge, each by role (403 / 404 / 409). */
let server: TestServer;
const people = {} as Record<
  'editor' | 'commenter' | 'viewer' | 'outsider',
  { id: string; api: ReturnType<typeof apiClient>; cookie: string }
>;
const cleanup: (() => void)[] = [];

beforeAll(async () => {
  server = await startTestServer();
  for (const role of ['editor', 'commenter', 'viewer', 'outsider'] as const) {
    const user = await makeUser(server, role);
    const cookie = await signIn(server.url, user.email);
    people[role] = { id: user.id, cookie, api: apiClient(server.url, cookie) };
  }
});
afterAll(async () => {
  cleanup.forEach((f) => f());
  await server?.dispose();
});

async function newDocument(title = 'Levensloop') {
  const res = await people.editor.api.post('/api/documents', { title });
  expect(res.status).toBe(201);
  const id = res.body.id as string;
  for (const role of ['commenter', 'viewer'] as const) {
    const user = await server.services.db.query.users.findFirst({ where: (u, { eq: e }) => e(u.id, people[role].id) });
    expect((await people.editor.api.post(`/api/documents/${id}/members`, { email: user!.email, role })).status).toBe(
      201,
    );
  }
  return id;
}

async function actions(id: string) {
  const rows = await server.services.db
    .select({ action: auditEvents.action, actorId: auditEvents.actorId })
    .from(auditEvents)
    .where(eq(auditEvents.documentId, id));
  return rows.map((r) => r.action);
}

const ids = async (api: ReturnType<typeof apiClient>, query = '') =>
  ((await api.get(`/api/documents${query}`)).body.documents as { id: string }[]).map((d) => d.id);

describe('rename', () => {
  it('editors rename (audited); commenters and viewers get 403, outsiders 404, an empty title 400', async () => {
    const id = await newDocument();
    const res = await people.editor.api.patch(`/api/documents/${id}`, { title: 'Nieuwe titel' });
    expect(res).toMatchObject({ status: 200, body: { id, title: 'Nieuwe titel' } });
    expect((await people.viewer.api.get(`/api/documents/${id}`)).body.title).toBe('Nieuwe titel');
    expect(await actions(id)).toContain('document.renamed');
    for (const role of ['commenter', 'viewer'] as const) {
      const refused = await people[role].api.patch(`/api/documents/${id}`, { title: 'Niet van mij' });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('forbidden:document');
    }
    expect((await people.outsider.api.patch(`/api/documents/${id}`, { title: 'x' })).status).toBe(404);
    expect((await people.editor.api.patch(`/api/documents/${id}`, { title: '  ' })).status).toBe(400);
  });
});

describe('archive', () => {
  it('an archived document is read-only on open connections at once, out of the default list, and refuses writes until unarchived', async () => {
    const id = await newDocument('Archief');
    const live = connectProvider(server.url, id, people.editor.cookie, { stukwerk: true });
    cleanup.push(() => live.destroy());
    const sessions: { readOnly: boolean; archived?: boolean; can?: { edit: boolean } }[] = [];
    live.provider.messageHandlers[100] = (_e, decoder) => sessions.push(JSON.parse(decoding.readVarString(decoder)));
    await vi.waitFor(() => expect(sessions.at(-1)).toMatchObject({ readOnly: false }));

    for (const role of ['commenter', 'viewer'] as const)
      expect((await people[role].api.post(`/api/documents/${id}/archive`)).status).toBe(403);
    expect((await people.outsider.api.post(`/api/documents/${id}/archive`)).status).toBe(404);

    const archived = await people.editor.api.post(`/api/documents/${id}/archive`);
    expect(archived).toMatchObject({ status: 200, body: { id, archived: true } });
    await vi.waitFor(() =>
      expect(sessions.at(-1)).toMatchObject({ readOnly: true, archived: true, can: { edit: false } }),
    );

    // What the editor types now is refused, never stored.
    live.addParagraph('na het archiveren getypt');
    await vi.waitFor(() => expect(sessions.at(-1)).toMatchObject({ readOnly: true, reason: 'refused' }));
    await server.collab.flush();
    const stored = await server.services.export.render(people.editor.id, id, 'md');
    expect(stored.bytes.toString('utf8')).not.toContain('na het archiveren getypt');

    expect(await ids(people.editor.api)).not.toContain(id);
    expect(await ids(people.editor.api, '?archived=only')).toContain(id);
    expect(await ids(people.viewer.api, '?archived=include')).toContain(id);
    expect((await people.editor.api.get('/api/documents?archived=maybe')).status).toBe(400);
    expect((await people.viewer.api.get(`/api/documents/${id}`)).body).toMatchObject({
      archived: true,
      can: { edit: false },
    });

    for (const [res, code] of [
      [await people.editor.api.post(`/api/documents/${id}/archive`), 'conflict:archived'],
      [await people.editor.api.patch(`/api/documents/${id}`, { title: 'x' }), 'conflict:archived'],
      [await people.editor.api.post(`/api/documents/${id}/status`, { status: 'review' }), 'conflict:archived'],
      [await people.editor.api.delete(`/api/documents/${id}`), 'conflict:archived'],
    ] as const) {
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe(code);
    }

    expect((await people.viewer.api.post(`/api/documents/${id}/unarchive`)).status).toBe(403);
    const back = await people.editor.api.post(`/api/documents/${id}/unarchive`);
    expect(back).toMatchObject({ status: 200, body: { id, archived: false, archivedAt: null } });
    await vi.waitFor(() => expect(sessions.at(-1)).toMatchObject({ readOnly: false, can: { edit: true } }));
    expect((await people.editor.api.post(`/api/documents/${id}/unarchive`)).body.error.code).toBe(
      'conflict:not_archived',
    );
    expect(await ids(people.editor.api)).toContain(id);
    expect(await actions(id)).toEqual(expect.arrayContaining(['document.archived', 'document.unarchived']));
  });
});

describe('delete and restore', () => {
  it('an editor deletes a draft: open connections close with 4403 at once, it is 404 and out of lists; an editor restores it', async () => {
    const id = await newDocument('Weg ermee');
    const raw = rawClient(server.url, id, people.viewer.cookie);
    await raw.opened;
    for (const role of ['commenter', 'viewer'] as const)
      expect((await people[role].api.delete(`/api/documents/${id}`)).status).toBe(403);
    expect((await people.outsider.api.delete(`/api/documents/${id}`)).status).toBe(404);

    const res = await people.editor.api.delete(`/api/documents/${id}`);
    expect(res.status).toBe(200);
    expect(new Date(res.body.restorableUntil).getTime() - new Date(res.body.deletedAt).getTime()).toBe(30 * 86_400_000);
    expect((await raw.closed).code).toBe(4403);
    const again = rawClient(server.url, id, people.editor.cookie);
    expect((await again.closed).code).toBe(4403);

    expect((await people.editor.api.get(`/api/documents/${id}`)).status).toBe(404);
    expect(await ids(people.editor.api, '?archived=include')).not.toContain(id);
    expect((await people.editor.api.delete(`/api/documents/${id}`)).status).toBe(404);

    for (const role of ['commenter', 'viewer', 'outsider'] as const)
      expect((await people[role].api.post(`/api/documents/${id}/restore`)).status).toBe(404);
    expect((await people.editor.api.post(`/api/documents/${id}/restore`)).status).toBe(200);
    expect((await people.viewer.api.get(`/api/documents/${id}`)).status).toBe(200);
    expect(await actions(id)).toEqual(expect.arrayContaining(['document.deleted', 'document.restored']));
  });

  it('only a draft is deleted: in review, ready or signed off it is 409 conflict:not_draft', async () => {
    const id = await newDocument('In bespreking');
    expect((await people.editor.api.post(`/api/documents/${id}/status`, { status: 'review' })).status).toBe(200);
    const res = await people.editor.api.delete(`/api/documents/${id}`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict:not_draft');
    expect((await people.editor.api.post(`/api/documents/${id}/status`, { status: 'ready' })).status).toBe(200);
    expect((await people.editor.api.delete(`/api/documents/${id}`)).body.error.code).toBe('conflict:not_draft');
    // Signed off: never deleted.
    const chair = await makeUser(server, 'chair');
    await server.services.db.insert(documentMembers).values({ documentId: id, userId: chair.id, role: 'chair' });
    const asChair = apiClient(server.url, await signIn(server.url, chair.email));
    expect((await asChair.post(`/api/documents/${id}/sign-off`)).status).toBe(200);
    const signed = await people.editor.api.delete(`/api/documents/${id}`);
    expect(signed.status).toBe(409);
    expect(signed.body.error.code).toBe('conflict:not_draft');
    expect((await people.viewer.api.get(`/api/documents/${id}`)).body.status).toBe('signed_off');
  });
});

describe('duplicate', () => {
  it('any member duplicates a document into a new draft of which they are the only editor; outsiders get 404', async () => {
    const id = await newDocument('Memo 2026');
    const copy = await people.viewer.api.post(`/api/documents/${id}/duplicate`, { title: 'Memo 2027' });
    expect(copy).toMatchObject({ status: 201, body: { title: 'Memo 2027', status: 'draft', role: 'editor' } });
    const members = await people.viewer.api.get(`/api/documents/${copy.body.id}/members`);
    expect(members.body.members).toEqual([expect.objectContaining({ userId: people.viewer.id, role: 'editor' })]);
    expect((await people.editor.api.get(`/api/documents/${copy.body.id}`)).status).toBe(404);
    expect((await people.outsider.api.post(`/api/documents/${id}/duplicate`, {})).status).toBe(404);
    const created = await server.services.db
      .select({ details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.documentId, copy.body.id), eq(auditEvents.action, 'document.created')));
    expect(created[0]!.details).toMatchObject({ duplicatedFrom: id });
  });
});

describe('purge', () => {
  it('removes documents deleted longer ago than the window, once even when two purges run at the same time', async () => {
    const old = await newDocument('Oud en weg');
    const recent = await newDocument('Net weg');
    expect((await people.editor.api.delete(`/api/documents/${old}`)).status).toBe(200);
    // Within the 30-day window (the server's own timer and setting) nothing is purged.
    expect((await server.services.documents.purge()).purged).toBe(0);
    await new Promise((r) => setTimeout(r, 1_200));
    expect((await people.editor.api.delete(`/api/documents/${recent}`)).status).toBe(200);

    // A window of one second (the parameter a test shortens): `old` is past it, `recent` is not.
    const deps = { db: server.services.db, collab: server.collab, retentionMs: 1_000 };
    const runs = await Promise.all([purgeDeleted(deps), purgeDeleted(deps)]);
    expect(runs.reduce((n, r) => n + r.purged, 0)).toBe(1);
    const left = await server.services.db.select({ id: documents.id }).from(documents).where(eq(documents.id, old));
    expect(left).toEqual([]);
    const purgedEvents = (
      await server.services.db
        .select({ details: auditEvents.details })
        .from(auditEvents)
        .where(eq(auditEvents.action, 'document.purged'))
    ).filter((e) => (e.details as { documentId: string }).documentId === old);
    expect(purgedEvents).toHaveLength(1);
    expect((await people.editor.api.post(`/api/documents/${old}/restore`)).status).toBe(404);
    expect((await people.editor.api.post(`/api/documents/${recent}/restore`)).status).toBe(200);
  });
});
