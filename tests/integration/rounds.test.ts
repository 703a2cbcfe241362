/**
 * Consultation rounds and the `ready` status (issue 13), on a real server and database with stock y-websocket
 * clients: the API by role and status, `ready` refusing every write, sign-off only from `ready`, overdue rounds
 * closed at start, and an answer reaching an editor's open connection as a type-102 event.
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { rounds } from '../../db/schema';
import { loadDocument } from '../../server/collab/persistence';
import { connectProvider } from '../helpers/collab';
import { apiClient, signIn } from '../helpers/http';
import { anchorIn, startThread } from '../helpers/mail';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';
import { contentFragmentName } from '../../common/schema/fragment';
import { messageType } from '../../common/protocol';

type Who = 'editor' | 'commenter' | 'commenter2' | 'chair' | 'viewer' | 'outsider';
let server: TestServer;
const api = {} as Record<Who, ReturnType<typeof apiClient>>;
const cookie = {} as Record<Who, string>;
const emails = {} as Record<Who, string>;
const ids = {} as Record<Who, string>;
const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((f) => f()));

async function signInAll() {
  for (const who of Object.keys(emails) as Who[]) {
    cookie[who] = await signIn(server.url, emails[who]);
    api[who] = apiClient(server.url, cookie[who]);
  }
}

beforeAll(async () => {
  server = await startTestServer();
  const people: Record<Who, [string, string]> = {
    editor: ['Anne', 'Veiligheidsregio Twente'],
    commenter: ['Daan', 'Gemeente Enschede'],
    commenter2: ['Eva', 'Gemeente Hengelo'],
    chair: ['Carla', 'Veiligheidsregio Twente'],
    viewer: ['Lezer', 'Gemeente Almelo'],
    outsider: ['Buiten', 'Elders'],
  };
  for (const who of Object.keys(people) as Who[]) {
    const u = await makeUser(server, people[who][0], people[who][1], { isAdmin: who === 'editor' });
    emails[who] = u.email;
    ids[who] = u.id;
  }
  await signInAll();
});
afterAll(() => server?.dispose());

async function newDocument(): Promise<string> {
  const { body } = await api.editor.post('/api/documents', { title: 'Regionale input', template: 'voorstel' });
  for (const [who, role] of [
    ['commenter', 'commenter'],
    ['commenter2', 'commenter'],
    ['chair', 'chair'],
    ['viewer', 'viewer'],
  ] as const) {
    expect((await api.editor.post(`/api/documents/${body.id}/members`, { email: emails[who], role })).status).toBe(201);
  }
  return body.id;
}

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
const question = 'Kunt u instemmen met de regionale input voor de coalitieakkoorden?';

describe('consultation rounds by role and status', () => {
  it('editors open a round (201, the draft moves to review, every commenter and the chair are asked); others are refused; one open round at a time', async () => {
    const id = await newDocument();
    for (const who of ['commenter', 'chair', 'viewer'] as const) {
      const res = await api[who].post(`/api/documents/${id}/rounds`, { question, dueAt: inAnHour() });
      expect([who, res.status, res.body.error.code]).toEqual([who, 403, 'forbidden:document']);
    }
    expect((await api.outsider.post(`/api/documents/${id}/rounds`, { question, dueAt: inAnHour() })).status).toBe(404);
    expect((await api.editor.post(`/api/documents/${id}/rounds`, { question: '', dueAt: inAnHour() })).status).toBe(
      400,
    );
    expect((await api.editor.post(`/api/documents/${id}/rounds`, { question, dueAt: 'morgen' })).status).toBe(400);
    expect(
      (
        await api.editor.post(`/api/documents/${id}/rounds`, {
          question,
          dueAt: new Date(Date.now() - 1000).toISOString(),
        })
      ).status,
    ).toBe(422);
    const notReviewer = await api.editor.post(`/api/documents/${id}/rounds`, {
      question,
      dueAt: inAnHour(),
      reviewerIds: [ids.viewer],
    });
    expect([notReviewer.status, notReviewer.body.error.code]).toEqual([422, 'invalid:reviewers']);

    const opened = await api.editor.post(`/api/documents/${id}/rounds`, { question, dueAt: inAnHour() });
    expect(opened.status).toBe(201);
    expect(opened.body.round).toMatchObject({ question, status: 'open', counts: { none: 3, agree: 0 } });
    expect(opened.body.round.reviewers.map((r: { user: { id: string } }) => r.user.id).sort()).toEqual(
      [ids.commenter, ids.commenter2, ids.chair].sort(),
    );
    expect(opened.body.round.reviewers[0]).toMatchObject({
      user: { name: expect.any(String), organisation: expect.stringMatching(/Gemeente|Veiligheidsregio/) },
      position: null,
      remark: null,
      respondedAt: null,
    });
    expect((await api.viewer.get(`/api/documents/${id}`)).body.status).toBe('review');
    expect(server.collab.loadedDocument(id)?.status ?? 'review').toBe('review');
    const second = await api.editor.post(`/api/documents/${id}/rounds`, { question, dueAt: inAnHour() });
    expect([second.status, second.body.error.code]).toEqual([409, 'conflict:round_open']);

    const audit = (await api.viewer.get(`/api/documents/${id}/audit`)).body.events.map(
      (e: { action: string; details: { kind?: string } }) => e.details.kind ?? e.action,
    );
    expect(audit).toEqual(expect.arrayContaining(['round.opened', 'round.request', 'document.status_changed']));
  });

  it('reviewers answer (remark required for agree_with_remarks and disagree, at most 5,000 characters) and change their answer until the round closes; then 409 round_closed', async () => {
    const id = await newDocument();
    const round = (await api.editor.post(`/api/documents/${id}/rounds`, { question, dueAt: inAnHour() })).body.round;
    const url = `/api/documents/${id}/rounds/${round.id}`;
    for (const who of ['editor', 'viewer'] as const) {
      const res = await api[who].put(`${url}/response`, { position: 'agree' });
      expect([who, res.status, res.body.error.code]).toEqual([who, 403, 'forbidden:round']);
    }
    expect((await api.outsider.put(`${url}/response`, { position: 'agree' })).status).toBe(404);
    expect((await api.commenter.put(`${url}/response`, { position: 'disagree' })).status).toBe(400);
    expect(
      (await api.commenter.put(`${url}/response`, { position: 'agree_with_remarks', remark: 'x'.repeat(5_001) }))
        .status,
    ).toBe(400);
    expect((await api.commenter.put(`${url}/response`, { position: 'maybe' })).status).toBe(400);
    expect(
      (await api.commenter.put(`/api/documents/${id}/rounds/not-a-uuid/response`, { position: 'agree' })).status,
    ).toBe(404);

    const first = await api.commenter.put(
      `${url.toUpperCase().replace('/API/DOCUMENTS/', '/api/documents/').replace('/ROUNDS/', '/rounds/')}/response`,
      { position: 'agree' },
    );
    expect(first.status).toBe(200);
    const changed = await api.commenter.put(`${url}/response`, {
      position: 'disagree',
      remark: 'Zie draad over paragraaf 3.',
    });
    expect(changed.body.round.counts).toMatchObject({ agree: 0, disagree: 1, none: 2 });
    expect(
      changed.body.round.reviewers.find((r: { user: { id: string } }) => r.user.id === ids.commenter),
    ).toMatchObject({
      position: 'disagree',
      remark: 'Zie draad over paragraaf 3.',
      respondedAt: expect.any(String),
    });
    expect((await api.chair.put(`${url}/response`, { position: 'abstain' })).status).toBe(200);

    for (const who of ['commenter', 'viewer'] as const) expect((await api[who].post(`${url}/close`)).status).toBe(403);
    const closed = await api.chair.post(`${url}/close`);
    expect([closed.status, closed.body.round.status, closed.body.round.closedReason]).toEqual([
      200,
      'closed',
      'manual',
    ]);
    const late = await api.commenter2.put(`${url}/response`, { position: 'agree' });
    expect([late.status, late.body.error.code]).toEqual([409, 'conflict:round_closed']);
    expect((await api.editor.post(`${url}/close`)).body.error.code).toBe('conflict:round_closed');

    // Closed rounds stay readable, for every member; a new round may open.
    const got = await api.viewer.get(url);
    expect(got.body.round).toMatchObject({ status: 'closed', counts: { disagree: 1, abstain: 1, none: 1 } });
    expect(
      (await api.editor.post(`/api/documents/${id}/rounds`, { question: 'Tweede ronde', dueAt: inAnHour() })).status,
    ).toBe(201);
    const list = (await api.commenter.get(`/api/documents/${id}/rounds`)).body.rounds;
    expect(list.map((r: { question: string; status: string }) => [r.question, r.status])).toEqual([
      ['Tweede ronde', 'open'],
      [question, 'closed'],
    ]);
    expect((await api.outsider.get(url)).status).toBe(404);
  });

  it('refuses a round on a document that is ready or signed off (409)', async () => {
    const id = await newDocument();
    await api.editor.post(`/api/documents/${id}/status`, { status: 'review' });
    await api.editor.post(`/api/documents/${id}/status`, { status: 'ready' });
    const res = await api.editor.post(`/api/documents/${id}/rounds`, { question, dueAt: inAnHour() });
    expect([res.status, res.body.error.code]).toEqual([409, 'conflict:status']);
  });
});

describe('ready (ter vaststelling)', () => {
  it('refuses every write from an editor’s stock y-websocket provider: nothing applied, nothing stored; sign-off from review is 409 not_ready, from ready 200', async () => {
    const id = await newDocument();
    await api.editor.post(`/api/documents/${id}/status`, { status: 'review' });
    const stock = connectProvider(server.url, id, cookie.editor); // no announcement: a stock client
    cleanup.push(() => stock.destroy());
    await vi.waitFor(() => expect(stock.provider.synced).toBe(true));
    stock.addParagraph('voor het vastzetten');
    const live = () => server.collab.loadedDocument(id)!;
    await vi.waitFor(() =>
      expect(live().ydoc.getXmlFragment(contentFragmentName).toString()).toContain('voor het vastzetten'),
    );

    const notReady = await api.chair.post(`/api/documents/${id}/sign-off`);
    expect([notReady.status, notReady.body.error.code]).toEqual([409, 'conflict:not_ready']);
    expect((await api.editor.post(`/api/documents/${id}/status`, { status: 'ready' })).status).toBe(200);
    const before = Y.encodeStateVector(live().ydoc);
    const refusedBefore = live().refusedUpdates;
    stock.addParagraph('na het vastzetten');
    await vi.waitFor(() => expect(live().refusedUpdates).toBeGreaterThan(refusedBefore));
    expect(Y.encodeStateVector(live().ydoc)).toEqual(before);
    await server.collab.flush();
    const stored = await loadDocument(server.services.db, id);
    expect(stored!.ydoc.getXmlFragment(contentFragmentName).toString()).not.toContain('na het vastzetten');
    expect(stored!.ydoc.getXmlFragment(contentFragmentName).toString()).toContain('voor het vastzetten');

    const signed = await api.chair.post(`/api/documents/${id}/sign-off`);
    expect(signed.status).toBe(200);
    expect(signed.body.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('live round events', () => {
  it('a reviewer’s answer reaches an editor’s open collaboration connection as a type-102 event, without polling', async () => {
    const id = await newDocument();
    const round = (await api.editor.post(`/api/documents/${id}/rounds`, { question, dueAt: inAnHour() })).body.round;
    const editor = connectProvider(server.url, id, cookie.editor, { stukwerk: true });
    cleanup.push(() => editor.destroy());
    const events: { type: string; round: { id: string; counts: Record<string, number> }; actorId: string }[] = [];
    editor.provider.messageHandlers[messageType.rounds] = (_e, decoder) =>
      events.push(JSON.parse(decoding.readVarString(decoder)));
    await vi.waitFor(() => expect(editor.provider.synced).toBe(true));
    expect(
      (
        await api.commenter2.put(`/api/documents/${id}/rounds/${round.id}/response`, {
          position: 'agree_with_remarks',
          remark: 'Graag aandacht voor Hengelo.',
        })
      ).status,
    ).toBe(200);
    await vi.waitFor(() =>
      expect(events.at(-1)).toMatchObject({
        type: 'round.response',
        actorId: ids.commenter2,
        round: { id: round.id, counts: { agree_with_remarks: 1, none: 2 } },
      }),
    );
  });
});

describe('the due date', () => {
  it('closes a round that became overdue while the server was down, when it starts again (and tells the editors)', async () => {
    const id = await newDocument();
    const round = (await api.editor.post(`/api/documents/${id}/rounds`, { question, dueAt: inAnHour() })).body.round;
    await server.services.db
      .update(rounds)
      .set({ dueAt: new Date(Date.now() - 60_000) })
      .where(eq(rounds.id, round.id));
    server = await server.restart();
    await signInAll();
    const got = (await api.viewer.get(`/api/documents/${id}/rounds/${round.id}`)).body.round;
    expect(got).toMatchObject({ status: 'closed', closedReason: 'due' });
    const events = (await api.editor.get(`/api/documents/${id}/audit`)).body.events as {
      action: string;
      details: { kind?: string };
    }[];
    expect(events.filter((e) => e.action === 'round.closed')).toHaveLength(1);
    expect(events.some((e) => e.details.kind === 'round.closed')).toBe(true);
  });
});

describe('ready with an open round, sign-off records, the responses export', () => {
  it('moving to ready closes the open round (reason ready, audited, editors mailed); later answers are 409 round_closed', async () => {
    const id = await newDocument();
    const round = (await api.editor.post(`/api/documents/${id}/rounds`, { question, dueAt: inAnHour() })).body.round;
    expect((await api.editor.post(`/api/documents/${id}/status`, { status: 'ready' })).status).toBe(200);
    const got = (await api.viewer.get(`/api/documents/${id}/rounds/${round.id}`)).body.round;
    expect(got).toMatchObject({ status: 'closed', closedReason: 'ready' });
    const late = await api.commenter.put(`/api/documents/${id}/rounds/${round.id}/response`, { position: 'agree' });
    expect([late.status, late.body.error.code]).toEqual([409, 'conflict:round_closed']);
    const events = (await api.editor.get(`/api/documents/${id}/audit`)).body.events as {
      action: string;
      details: { kind?: string; reason?: string };
    }[];
    expect(events.filter((e) => e.action === 'round.closed').map((e) => e.details.reason)).toEqual(['ready']);
    expect(events.some((e) => e.details.kind === 'round.closed')).toBe(true);
  });

  it('GET sign-off lists what is open; the sign-off’s audit event holds the open items the server computed and the acknowledgement', async () => {
    const id = await newDocument();
    const anchor = await anchorIn(server.url, id, cookie.editor);
    await startThread(server.url, cookie.commenter, id, anchor, 'Nog een open punt.');
    const round = (await api.editor.post(`/api/documents/${id}/rounds`, { question, dueAt: inAnHour() })).body.round;
    await api.commenter.put(`/api/documents/${id}/rounds/${round.id}/response`, { position: 'agree' });

    const open = await api.chair.get(`/api/documents/${id}/sign-off`);
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ threads: 1, round: { id: round.id, status: 'open' } });
    expect(open.body.round.notAnswered.map((p: { id: string }) => p.id).sort()).toEqual(
      [ids.commenter2, ids.chair].sort(),
    );
    expect(open.body.roundVersionId).toEqual(expect.any(String));
    expect((await api.outsider.get(`/api/documents/${id}/sign-off`)).status).toBe(404);

    expect((await api.editor.post(`/api/documents/${id}/status`, { status: 'ready' })).status).toBe(200);
    const bad = await api.chair.post(`/api/documents/${id}/sign-off`, { acknowledgeOpenItems: 'ja' });
    expect(bad.status).toBe(400);
    const signed = await api.chair.post(`/api/documents/${id}/sign-off`, { acknowledgeOpenItems: true });
    expect(signed.status).toBe(200);
    const events = (await api.viewer.get(`/api/documents/${id}/audit`)).body.events as {
      action: string;
      details: Record<string, unknown>;
    }[];
    const signOff = events.find((e) => e.action === 'document.signed_off')!;
    expect(signOff.details).toMatchObject({
      sha256: signed.body.sha256,
      acknowledged: true,
      signedWithOpenItems: true,
      openItems: { threads: 1, round: { id: round.id, status: 'closed' } },
    });
    expect(
      (signOff.details.openItems as { round: { notAnswered: { id: string }[] } }).round.notAnswered.map((p) => p.id),
    ).toHaveLength(2);
  });

  it('the export with responses=1 adds the responses table (HTML and Markdown); without it, none', async () => {
    const id = await newDocument();
    const round = (await api.editor.post(`/api/documents/${id}/rounds`, { question, dueAt: inAnHour() })).body.round;
    await api.commenter2.put(`/api/documents/${id}/rounds/${round.id}/response`, {
      position: 'disagree',
      remark: 'Hengelo <mist> de kosten.',
    });
    const html = await fetch(`${server.url}/api/documents/${id}/export?format=html&responses=1`, {
      headers: { cookie: cookie.viewer },
    });
    expect(html.status).toBe(200);
    const page = await html.text();
    expect(page).toContain('Bijlage: reacties van de gemeenten');
    expect(page).toContain('Gemeente Hengelo (Eva)');
    expect(page).toContain('Stemt niet in');
    expect(page).toContain('Hengelo &lt;mist&gt; de kosten.');
    expect(page).toContain('Nog geen reactie');
    const md = await (
      await fetch(`${server.url}/api/documents/${id}/export?format=md&responses=1`, {
        headers: { cookie: cookie.viewer },
      })
    ).text();
    expect(md).toMatch(/\| Gemeente \| Standpunt \| Toelichting \| Tijdstip \|/);
    expect(md).toContain('Stemt niet in');
    const plain = await (
      await fetch(`${server.url}/api/documents/${id}/export?format=html`, { headers: { cookie: cookie.viewer } })
    ).text();
    expect(plain).not.toContain('Bijlage: reacties van de gemeenten');
    const pdf = await fetch(`${server.url}/api/documents/${id}/export?format=pdf&responses=1`, {
      headers: { cookie: cookie.viewer },
    });
    expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    const docx = await fetch(`${server.url}/api/documents/${id}/export?format=docx&responses=1`, {
      headers: { cookie: cookie.viewer },
    });
    expect(docx.status).toBe(200);
  });
});
