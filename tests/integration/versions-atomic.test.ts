import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectProvider } from '../helpers/collab';
import { apiClient, signIn } from '../helpers/http';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';

/**
 * A named version and a restore are each one step with their audit event: when the database refuses the event (a
 * trigger that fails it, as a real fault would), nothing of the step remains — no version row, no restored text.
 */
let server: TestServer;
let cookie: string;
const cleanup: (() => void)[] = [];
afterEach(async () => {
  cleanup.splice(0).forEach((f) => f());
  await server.services.db.execute(sql`drop trigger if exists refuse_audit on audit_events`);
});

beforeAll(async () => {
  server = await startTestServer();
  const editor = await makeUser(server, 'Anne');
  cookie = await signIn(server.url, editor.email);
  await server.services.db.execute(sql`
    create or replace function refuse_audit() returns trigger language plpgsql as $$
    begin
      if new.action in ('version.named', 'version.restored') then
        raise exception 'audit refused by the test';
      end if;
      return new;
    end $$`);
});
afterAll(() => server?.dispose());

const refuseAudit = () =>
  server.services.db.execute(
    sql`create trigger refuse_audit before insert on audit_events for each row execute function refuse_audit()`,
  );

async function documentWithVersion() {
  const api = apiClient(server.url, cookie);
  const { body } = await api.post('/api/documents', { title: 'Versies', template: 'blank' });
  const client = connectProvider(server.url, body.id, cookie);
  cleanup.push(() => client.destroy());
  await vi.waitFor(() => expect(client.provider.synced).toBe(true), { timeout: 10_000 });
  client.addParagraph('eerste alinea');
  await vi.waitFor(() => expect(server.collab.loadedDocument(body.id)!.ydoc.getXmlFragment('default').length).toBe(1));
  const named = await api.post(`/api/documents/${body.id}/versions`, { name: 'eerste versie' });
  expect(named.status).toBe(201);
  client.addParagraph('tweede alinea');
  await vi.waitFor(() => expect(server.collab.loadedDocument(body.id)!.ydoc.getXmlFragment('default').length).toBe(2));
  return { id: body.id as string, versionId: named.body.id as string, api };
}

describe('versions and their audit events', () => {
  it('a named version whose audit event fails is not stored', async () => {
    const { id, api } = await documentWithVersion();
    await refuseAudit();
    const res = await api.post(`/api/documents/${id}/versions`, { name: 'zonder logboek' });
    expect(res.status).toBe(500);
    const list = (await api.get(`/api/documents/${id}/versions`)).body.versions as { name: string | null }[];
    expect(list.map((v) => v.name)).not.toContain('zonder logboek');
  });

  it('a restore whose audit event fails leaves the live document as it was', async () => {
    const { id, versionId, api } = await documentWithVersion();
    await refuseAudit();
    const res = await api.post(`/api/documents/${id}/versions/${versionId}/restore`);
    expect(res.status).toBe(500);
    expect(server.collab.loadedDocument(id)!.ydoc.getXmlFragment('default').toString()).toContain('tweede alinea');
    const list = (await api.get(`/api/documents/${id}/versions`)).body.versions as { kind: string }[];
    expect(list.filter((v) => v.kind === 'restore')).toEqual([]);
  });
});
