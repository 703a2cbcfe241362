import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadDocument } from '../../server/collab/persistence';
import { jsonFromYDoc } from '../../server/content/prosemirror';
import { documentHash } from '../../server/versions/canonical';
import { connectProvider } from '../helpers/collab';
import { apiClient, signIn } from '../helpers/http';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';
import { contentFragmentName } from '../../common/schema/fragment';

type Who = 'editor' | 'editor2' | 'commenter' | 'chair' | 'viewer' | 'outsider';
let server: TestServer;
const api = {} as Record<Who, ReturnType<typeof apiClient>>;
const cookie = {} as Record<Who, string>;
const emails = {} as Record<Who, string>;
const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((f) => f()));

beforeAll(async () => {
  server = await startTestServer({ collab: { versionIdleMs: 300, versionMaxIntervalMs: 2_000 } });
  const names: Record<Who, string> = {
    editor: 'Anne',
    editor2: 'Bram',
    commenter: 'Daan',
    chair: 'Carla',
    viewer: 'Lezer',
    outsider: 'Buiten',
  };
  for (const who of Object.keys(names) as Who[]) {
    // The first editor is an administrator: only an administrator grants the chair role (newDocument below).
    const u = await makeUser(server, names[who], undefined, { isAdmin: who === 'editor' });
    emails[who] = u.email;
    cookie[who] = await signIn(server.url, u.email);
    api[who] = apiClient(server.url, cookie[who]);
  }
});
afterAll(() => server?.dispose());

async function newDocument(): Promise<string> {
  const { body } = await api.editor.post('/api/documents', { title: 'Vaststellen', template: 'voorstel' });
  for (const [who, role] of [
    ['editor2', 'editor'],
    ['commenter', 'commenter'],
    ['chair', 'chair'],
    ['viewer', 'viewer'],
  ] as const) {
    expect((await api.editor.post(`/api/documents/${body.id}/members`, { email: emails[who], role })).status).toBe(201);
  }
  return body.id;
}

function open(who: Who, id: string) {
  const client = connectProvider(server.url, id, cookie[who], { stukwerk: true });
  const sessions: { readOnly: boolean; status: string; reason?: string; signedOff?: { signedBy: string } }[] = [];
  client.provider.messageHandlers[100] = (_e, decoder) => sessions.push(JSON.parse(decoding.readVarString(decoder)));
  cleanup.push(() => client.destroy());
  return Object.assign(client, { sessions });
}

describe('status transitions by role', () => {
  it('editors move draft → review → ready (and back to draft); the chair signs off only a ready document and reopens it; others are refused', async () => {
    const id = await newDocument();
    for (const who of ['commenter', 'chair', 'viewer'] as const) {
      const res = await api[who].post(`/api/documents/${id}/status`, { status: 'review' });
      expect([res.status, res.body.error.code]).toEqual([403, 'forbidden:document']);
    }
    expect((await api.outsider.post(`/api/documents/${id}/status`, { status: 'review' })).status).toBe(404);
    expect((await api.editor.post(`/api/documents/${id}/status`, { status: 'signed_off' })).status).toBe(400);
    expect((await api.chair.post(`/api/documents/${id}/sign-off`)).body.error.code).toBe('conflict:not_ready');
    // ready only from review
    expect((await api.editor.post(`/api/documents/${id}/status`, { status: 'ready' })).body.error.code).toBe(
      'conflict:status',
    );

    expect((await api.editor.post(`/api/documents/${id}/status`, { status: 'review' })).body.status).toBe('review');
    expect((await api.editor.post(`/api/documents/${id}/status`, { status: 'review' })).status).toBe(409);
    const inReview = await api.chair.post(`/api/documents/${id}/sign-off`);
    expect([inReview.status, inReview.body.error.code]).toEqual([409, 'conflict:not_ready']);
    for (const who of ['commenter', 'chair', 'viewer'] as const) {
      expect((await api[who].post(`/api/documents/${id}/status`, { status: 'ready' })).status).toBe(403);
    }
    expect((await api.editor.post(`/api/documents/${id}/status`, { status: 'ready' })).body.status).toBe('ready');
    // ready → draft unlocks; back through review to ready
    expect((await api.editor.post(`/api/documents/${id}/status`, { status: 'draft' })).body).toMatchObject({
      status: 'draft',
      previous: 'ready',
    });
    expect((await api.editor.post(`/api/documents/${id}/status`, { status: 'review' })).status).toBe(200);
    expect((await api.editor.post(`/api/documents/${id}/status`, { status: 'ready' })).status).toBe(200);
    expect((await api.chair.get(`/api/documents/${id}`)).body.can).toMatchObject({
      edit: false,
      signOff: true,
      comment: true,
    });
    expect((await api.editor.get(`/api/documents/${id}`)).body.can).toMatchObject({
      edit: false,
      signOff: false,
      statusTargets: ['draft'],
    });
    for (const who of ['editor', 'commenter', 'viewer'] as const) {
      expect((await api[who].post(`/api/documents/${id}/sign-off`)).status).toBe(403);
    }
    expect((await api.outsider.post(`/api/documents/${id}/sign-off`)).status).toBe(404);

    const signed = await api.chair.post(`/api/documents/${id}/sign-off`);
    expect(signed.status).toBe(200);
    expect(signed.body).toEqual({
      versionId: expect.any(String),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      signedAt: expect.any(String),
      signedBy: expect.stringMatching(/^Carla/),
    });
    const again = await api.chair.post(`/api/documents/${id}/sign-off`);
    expect([again.status, again.body.error.code]).toEqual([409, 'conflict:signed_off']);
    expect((await api.editor.post(`/api/documents/${id}/status`, { status: 'draft' })).status).toBe(409);
    expect((await api.editor.post(`/api/documents/${id}/reopen`)).status).toBe(403);

    expect((await api.chair.post(`/api/documents/${id}/reopen`)).body.status).toBe('draft');
    expect((await api.chair.post(`/api/documents/${id}/reopen`)).body.error.code).toBe('conflict:not_signed_off');
    const versions = (await api.viewer.get(`/api/documents/${id}/versions`)).body.versions;
    expect(versions.filter((v: { kind: string }) => v.kind === 'signed').map((v: { id: string }) => v.id)).toEqual([
      signed.body.versionId,
    ]);
    const audit = (await api.viewer.get(`/api/documents/${id}/audit`)).body.events.map(
      (e: { action: string }) => e.action,
    );
    expect(audit.slice(0, 3)).toEqual(['document.reopened', 'document.signed_off', 'document.status_changed']);
  });
});

describe('ready and sign-off while two co-authors keep typing', () => {
  it('freezes the document for every connection at the moment it is moved to ready: nothing later is applied or stored, and the chair signs exactly that text', async () => {
    const id = await newDocument();
    await api.editor.post(`/api/documents/${id}/status`, { status: 'review' });
    const a = open('editor', id);
    const b = open('editor2', id);
    await vi.waitFor(() => expect(a.provider.synced && b.provider.synced).toBe(true));
    let typing = true;
    let n = 0;
    const typist = (async () => {
      while (typing && n < 2_000) {
        a.addParagraph(`A ${n}`);
        b.addParagraph(`B ${n}`);
        n++;
        await new Promise((r) => setTimeout(r, 3));
      }
    })();
    await vi.waitFor(() =>
      expect(server.collab.loadedDocument(id)!.ydoc.getXmlFragment(contentFragmentName).length).toBeGreaterThan(40),
    );
    const locked = await api.editor.post(`/api/documents/${id}/status`, { status: 'ready' });
    expect(locked.status).toBe(200);
    const live = server.collab.loadedDocument(id)!;
    const frozen = Y.encodeStateVector(live.ydoc);
    const typedAtLock = n;
    await vi.waitFor(() => expect(n).toBeGreaterThan(typedAtLock + 30)); // they keep typing after the response
    typing = false;
    await typist;
    await vi.waitFor(() => {
      expect(a.sessions.find((s) => s.reason === 'locked')).toMatchObject({ readOnly: true, status: 'ready' });
      expect(b.sessions.at(-1)).toMatchObject({ readOnly: true, status: 'ready' });
      // What they typed after it was refused, and they were told (so a browser drops it instead of keeping it).
      expect(a.sessions.at(-1)).toMatchObject({ readOnly: true, status: 'ready', reason: 'refused' });
    });
    await new Promise((r) => setTimeout(r, 200)); // frames typed after the lock have arrived and been refused
    expect(Y.encodeStateVector(live.ydoc)).toEqual(frozen);
    expect(live.refusedUpdates).toBeGreaterThan(0);

    const res = await api.chair.post(`/api/documents/${id}/sign-off`);
    expect(res.status).toBe(200);
    await vi.waitFor(() => {
      const signedOff = a.sessions.find((s) => s.reason === 'signed_off');
      expect(signedOff).toMatchObject({
        readOnly: true,
        status: 'signed_off',
        signedOff: { signedBy: expect.stringMatching(/^Carla/) },
      });
      expect(b.sessions.at(-1)).toMatchObject({ readOnly: true, status: 'signed_off' });
    });
    expect(Y.encodeStateVector(live.ydoc)).toEqual(frozen);

    const version = (await api.viewer.get(`/api/documents/${id}/versions/${res.body.versionId}`)).body;
    expect(version.sha256).toBe(res.body.sha256);
    expect(documentHash(jsonFromYDoc(live.ydoc))).toBe(res.body.sha256);
    expect(documentHash(version.json)).toBe(res.body.sha256);
    await server.collab.flush();
    const stored = await loadDocument(server.services.db, id);
    expect(documentHash(jsonFromYDoc(stored!.ydoc))).toBe(res.body.sha256);

    // Reopening gives the editors their rights back at once.
    expect((await api.chair.post(`/api/documents/${id}/reopen`)).status).toBe(200);
    await vi.waitFor(() => expect(a.sessions.at(-1)).toMatchObject({ readOnly: false, status: 'draft' }));
    a.addParagraph('na heropenen');
    await vi.waitFor(() => expect(live.ydoc.getXmlFragment(contentFragmentName).toString()).toContain('na heropenen'));
  });
});

describe('a sign-off racing a move back to draft', () => {
  it('ends consistent: the stored status and the live document agree, and only one request wins', async () => {
    const id = await newDocument();
    await api.editor.post(`/api/documents/${id}/status`, { status: 'review' });
    await api.editor.post(`/api/documents/${id}/status`, { status: 'ready' });
    const a = open('editor', id);
    await vi.waitFor(() => expect(a.provider.synced).toBe(true));
    const [signed, back] = await Promise.all([
      api.chair.post(`/api/documents/${id}/sign-off`),
      api.editor.post(`/api/documents/${id}/status`, { status: 'draft' }),
    ]);
    expect([signed.status, back.status].filter((s) => s === 200)).toHaveLength(1);
    const stored = (await api.editor.get(`/api/documents/${id}`)).body.status;
    expect(server.collab.loadedDocument(id)!.status).toBe(stored);
    expect(stored).toBe(signed.status === 200 ? 'signed_off' : 'draft');
  });
});

describe('version history', () => {
  it('takes automatic versions after a pause in editing, with their authors, and none without a change', async () => {
    const id = await newDocument();
    const a = open('editor', id);
    await vi.waitFor(() => expect(a.provider.synced).toBe(true));
    a.addParagraph('eerste wijziging');
    await vi.waitFor(async () => {
      const versions = (await api.editor.get(`/api/documents/${id}/versions`)).body.versions;
      expect(versions).toEqual([expect.objectContaining({ kind: 'auto', authors: [expect.stringMatching(/^Anne/)] })]);
    });
    await new Promise((r) => setTimeout(r, 700));
    expect((await api.editor.get(`/api/documents/${id}/versions`)).body.versions).toHaveLength(1);
  });

  it('names a version (editors only), compares by words, and restores it live without rewriting history', async () => {
    const id = await newDocument();
    const a = open('editor', id);
    const watcher = open('viewer', id);
    await vi.waitFor(() => expect(a.provider.synced && watcher.provider.synced).toBe(true));
    a.addParagraph('de brandweer komt snel');
    await vi.waitFor(() => expect(watcher.text()).toContain('de brandweer komt snel'));
    expect((await api.commenter.post(`/api/documents/${id}/versions`, { name: 'mag niet' })).status).toBe(403);
    expect((await api.editor.post(`/api/documents/${id}/versions`, { name: '' })).status).toBe(400);
    const v1 = await api.editor.post(`/api/documents/${id}/versions`, { name: 'Versie voor AB 17 februari' });
    expect(v1.status).toBe(201);

    // Change "snel" into "heel erg snel" and drop "de".
    const paragraph = a.fragment.get(a.fragment.length - 1) as Y.XmlElement;
    const text = paragraph.get(0) as Y.XmlText;
    text.insert('de brandweer komt '.length, 'heel erg ');
    text.delete(0, 'de '.length);
    await vi.waitFor(() => expect(watcher.text()).toContain('brandweer komt heel erg snel'));
    const diff = await api.viewer.get(`/api/documents/${id}/compare?from=${v1.body.id}&to=current`);
    const words = (type: string) =>
      diff.body.parts
        .filter((p: { type: string }) => p.type === type)
        .flatMap((p: { text: string }) => p.text.split(/\s+/).filter(Boolean));
    expect(words('insert')).toEqual(['heel', 'erg']);
    expect(words('delete')).toEqual(['de']);

    expect((await api.commenter.post(`/api/documents/${id}/versions/${v1.body.id}/restore`)).status).toBe(403);
    const restored = await api.editor.post(`/api/documents/${id}/versions/${v1.body.id}/restore`);
    expect(restored.status).toBe(200);
    await vi.waitFor(() => {
      expect(watcher.text()).toContain('de brandweer komt snel');
      expect(watcher.text()).not.toContain('heel erg');
    });
    const versions = (await api.editor.get(`/api/documents/${id}/versions`)).body.versions as {
      id: string;
      kind: string;
    }[];
    expect(versions.map((v) => v.id)).toContain(v1.body.id);
    const before = versions.find((v) => v.id === restored.body.savedBeforeVersionId)!;
    expect(before.kind).toBe('restore');
    expect((await api.editor.get(`/api/documents/${id}/versions/${before.id}`)).body.text).toContain(
      'brandweer komt heel erg snel',
    );
    expect((await api.outsider.get(`/api/documents/${id}/versions/${v1.body.id}`)).status).toBe(404);
  });

  it('the versions, version, compare and audit pages render for members and not for outsiders', async () => {
    const id = await newDocument();
    const a = open('editor', id);
    await vi.waitFor(() => expect(a.provider.synced).toBe(true));
    const v1 = await api.editor.post(`/api/documents/${id}/versions`, { name: 'Versie <voor> AB' });
    a.addParagraph('een nieuwe zin');
    await vi.waitFor(() =>
      expect(server.collab.loadedDocument(id)!.ydoc.getXmlFragment(contentFragmentName).toString()).toContain(
        'een nieuwe zin',
      ),
    );
    const page = async (who: Who, path: string) => {
      const res = await fetch(`${server.url}${path}`, { headers: { cookie: cookie[who] }, redirect: 'manual' });
      return { status: res.status, html: await res.text() };
    };
    const list = await page('viewer', `/documents/${id}/versions`);
    expect(list.status).toBe(200);
    expect(list.html).toContain('Versie &lt;voor&gt; AB'); // escaped, never markup
    expect((await page('viewer', `/documents/${id}/versions/${v1.body.id}`)).status).toBe(200);
    const compare = await page('viewer', `/documents/${id}/compare?from=${v1.body.id}&to=current`);
    expect(compare.html).toMatch(/<ins>[^<]*een nieuwe zin/);
    const audit = await page('viewer', `/documents/${id}/audit`);
    expect(audit.html).toContain('Versie benoemd');
    for (const path of [
      `/documents/${id}/versions`,
      `/documents/${id}/audit`,
      `/documents/${id}/compare?from=${v1.body.id}`,
    ]) {
      const res = await page('outsider', path);
      expect(res.status).toBe(404);
      expect(res.html).not.toContain('Versie &lt;voor&gt; AB');
    }
  });
});
