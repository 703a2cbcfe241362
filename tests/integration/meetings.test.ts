import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { auditEvents } from '../../db/schema';
import { connectProvider } from '../helpers/collab';
import { anchorFor } from '../helpers/comments';
import { apiClient, signIn } from '../helpers/http';
import { testDataRoot } from '../helpers/paths';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';

/**
 * Board meetings: who plans them, placing documents on the agenda (AGENDAPUNT and DATUM written into the shared
 * document and seen by a connected stock y-websocket client, kept in step when the number or the date changes),
 * the meeting page's items (members only), the consultation result, the agenda PDF and the list filters.
 */
let server: TestServer;
type Who = 'admin' | 'editor' | 'mayor' | 'outsider' | 'nobody';
const api = {} as Record<Who, ReturnType<typeof apiClient>>;
const cookie = {} as Record<Who, string>;
const email = {} as Record<Who, string>;
const id = {} as Record<Who, string>;

beforeAll(async () => {
  server = await startTestServer();
  for (const who of ['admin', 'editor', 'mayor', 'outsider', 'nobody'] as Who[]) {
    const u = await makeUser(server, who, who === 'mayor' ? 'Gemeente Enschede' : undefined, {
      isAdmin: who === 'admin',
    });
    email[who] = u.email;
    id[who] = u.id;
    cookie[who] = await signIn(server.url, u.email);
    api[who] = apiClient(server.url, cookie[who]);
  }
});
afterAll(() => server?.dispose());

const newVoorstel = async (who: Who, title: string) =>
  (await api[who].post('/api/documents', { title, template: 'voorstel' })).body.id as string;
const newMeeting = async (date = '2026-03-12', body = 'algemeen_bestuur') =>
  (await api.editor.post('/api/meetings', { body, date, location: 'Enschede, Hengelosestraat 200' })).body.meeting
    .id as string;

/** The text of one header field in a client's copy of the shared document. */
function headerValue(ydoc: Y.Doc, key: string): string | undefined {
  const header = ydoc
    .getXmlFragment('default')
    .toArray()
    .find((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'metadata');
  const field = header
    ?.toArray()
    .find((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.getAttribute('field') === key);
  return field
    ?.toArray()
    .map((t) => (t as Y.XmlText).toString())
    .join('');
}

describe('who plans meetings', () => {
  it('administrators and editors create meetings; a person who edits nothing gets 403', async () => {
    expect(
      (await api.nobody.post('/api/meetings', { body: 'dagelijks_bestuur', date: '2026-04-01', location: 'X' })).status,
    ).toBe(403);
    await newVoorstel('editor', 'Eigen document');
    expect(
      (await api.editor.post('/api/meetings', { body: 'dagelijks_bestuur', date: '2026-04-01', location: 'Almelo' }))
        .status,
    ).toBe(201);
    expect(
      (await api.admin.post('/api/meetings', { body: 'algemeen_bestuur', date: '2026-05-01', location: 'Hengelo' }))
        .status,
    ).toBe(201);
    expect((await api.editor.post('/api/meetings', { body: 'raad', date: '2026-04-01', location: 'X' })).status).toBe(
      400,
    );
    expect(
      (await api.editor.post('/api/meetings', { body: 'algemeen_bestuur', date: '1 april', location: 'X' })).status,
    ).toBe(400);
    expect((await api.nobody.get('/api/meetings')).body.meetings.length).toBeGreaterThanOrEqual(2);
  });
});

describe('the agenda in the document header', () => {
  it('placing fills AGENDAPUNT and DATUM for a connected stock y-websocket client; number and date follow', async () => {
    const doc = await newVoorstel('editor', 'Regionale input voor coalitieakkoorden');
    await api.editor.post(`/api/documents/${doc}/members`, { email: email.mayor, role: 'commenter' });
    const meeting = await newMeeting('2026-03-12');
    // The mayor reads with the stock client (no Stukwerk parameters): what any y-websocket client sees.
    const client = connectProvider(server.url, doc, cookie.mayor);
    try {
      await vi.waitFor(() => expect(client.provider.synced).toBe(true), { timeout: 10_000 });
      expect(headerValue(client.ydoc, 'agendapunt')).toBe('');

      const placed = await api.editor.put(`/api/documents/${doc}/meeting`, { meetingId: meeting, itemNumber: 4 });
      expect(placed.status).toBe(200);
      await vi.waitFor(() => {
        expect(headerValue(client.ydoc, 'agendapunt')).toBe('4');
        expect(headerValue(client.ydoc, 'datum')).toBe('12 maart 2026');
      });

      expect(
        (await api.editor.put(`/api/documents/${doc}/meeting`, { meetingId: meeting, itemNumber: 7 })).status,
      ).toBe(200);
      await vi.waitFor(() => expect(headerValue(client.ydoc, 'agendapunt')).toBe('7'));

      expect((await api.editor.patch(`/api/meetings/${meeting}`, { date: '2026-03-19' })).status).toBe(200);
      await vi.waitFor(() => expect(headerValue(client.ydoc, 'datum')).toBe('19 maart 2026'));
      expect(headerValue(client.ydoc, 'agendapunt')).toBe('7');

      // The stored document (what exports and a fresh client read) carries it too.
      const md = await api.editor.get(`/api/documents/${doc}/export?format=md`);
      expect(md.text).toMatch(/AGENDAPUNT\W+7/);
      expect(md.text).toMatch(/DATUM\W+19 maart 2026/);

      expect((await api.editor.delete(`/api/documents/${doc}/meeting`)).status).toBe(204);
      await vi.waitFor(() => expect(headerValue(client.ydoc, 'agendapunt')).toBe(''));
      expect(headerValue(client.ydoc, 'datum')).toBe('');
    } finally {
      client.destroy();
    }
    const actions = (await server.services.db.select().from(auditEvents).where(eq(auditEvents.documentId, doc))).map(
      (e) => e.action,
    );
    expect(actions.filter((a) => a.startsWith('agenda.'))).toEqual([
      'agenda.placed',
      'agenda.placed',
      'agenda.removed',
    ]);
  });

  it('one number per agenda (409); only editors place (commenter 403, non-member 404); locked text is refused', async () => {
    const meeting = await newMeeting('2026-06-04');
    const a = await newVoorstel('editor', 'Eerste');
    const b = await newVoorstel('editor', 'Tweede');
    await api.editor.post(`/api/documents/${b}/members`, { email: email.mayor, role: 'commenter' });
    expect((await api.editor.put(`/api/documents/${a}/meeting`, { meetingId: meeting, itemNumber: 2 })).status).toBe(
      200,
    );
    const taken = await api.editor.put(`/api/documents/${b}/meeting`, { meetingId: meeting, itemNumber: 2 });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'conflict:agenda_number']);
    expect((await api.mayor.put(`/api/documents/${b}/meeting`, { meetingId: meeting, itemNumber: 3 })).status).toBe(
      403,
    );
    expect((await api.outsider.put(`/api/documents/${b}/meeting`, { meetingId: meeting, itemNumber: 3 })).status).toBe(
      404,
    );
    expect((await api.editor.put(`/api/documents/${b}/meeting`, { meetingId: meeting, itemNumber: 0 })).status).toBe(
      400,
    );

    // Ready: the text is locked for everyone, the header included.
    const adminMember = await api.editor.post(`/api/documents/${a}/members`, { email: email.admin, role: 'viewer' });
    expect(adminMember.status).toBe(201);
    await api.admin.post(`/api/documents/${a}/members`, { email: email.mayor, role: 'chair' });
    await api.editor.post(`/api/documents/${a}/status`, { status: 'review' });
    expect((await api.editor.post(`/api/documents/${a}/status`, { status: 'ready' })).status).toBe(200);
    const locked = await api.editor.put(`/api/documents/${a}/meeting`, { meetingId: meeting, itemNumber: 5 });
    expect([locked.status, locked.body.error.code]).toEqual([409, 'conflict:text_locked']);
    // A date change passes a locked document by, and says so.
    const moved = await api.editor.patch(`/api/meetings/${meeting}`, { date: '2026-06-11' });
    expect(moved.body.lockedDocuments).toBe(1);
  });
});

describe('the meeting page', () => {
  it('lists members’ voorstellen in order with status and consultation; a non-member sees no trace of another', async () => {
    const meeting = await newMeeting('2026-09-10');
    const secret = await newVoorstel('editor', 'Vertrouwelijk voorstel Zeldzaamwoord');
    const open = await newVoorstel('outsider', 'Voorstel van de buitenstaander');
    await api.editor.post(`/api/documents/${secret}/members`, { email: email.mayor, role: 'commenter' });
    await api.outsider.post(`/api/documents/${open}/members`, { email: email.editor, role: 'viewer' });
    await api.editor.put(`/api/documents/${secret}/meeting`, { meetingId: meeting, itemNumber: 3 });
    await api.outsider.put(`/api/documents/${open}/meeting`, { meetingId: meeting, itemNumber: 1 });
    const round = await api.editor.post(`/api/documents/${secret}/rounds`, {
      question: 'Kunt u instemmen?',
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(round.status).toBe(201);
    await api.mayor.put(`/api/documents/${secret}/rounds/${round.body.round.id}/response`, { position: 'agree' });

    const editorView = (await api.editor.get(`/api/meetings/${meeting}`)).body.meeting;
    expect(editorView.items.map((i: { itemNumber: number; title: string }) => [i.itemNumber, i.title])).toEqual([
      [1, 'Voorstel van de buitenstaander'],
      [3, 'Vertrouwelijk voorstel Zeldzaamwoord'],
    ]);
    expect(editorView.items[1]).toMatchObject({
      status: 'review',
      consultation: { status: 'open', counts: { agree: 1, none: 0 } },
    });
    expect(editorView.items[0].consultation).toBeNull();

    const outsiderView = await api.outsider.get(`/api/meetings/${meeting}`);
    expect(outsiderView.body.meeting.items.map((i: { itemNumber: number }) => i.itemNumber)).toEqual([1]);
    expect(outsiderView.text).not.toContain('Zeldzaamwoord');
    expect(outsiderView.text).not.toContain(secret);
    const page = await fetch(`${server.url}/meetings/${meeting}`, { headers: { cookie: cookie.outsider } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('Voorstel van de buitenstaander');
    expect(html).not.toContain('Zeldzaamwoord');
    expect(html).not.toContain(secret);
    const pdf = await fetch(`${server.url}/api/meetings/${meeting}/export`, { headers: { cookie: cookie.outsider } });
    expect(pdfText(Buffer.from(await pdf.arrayBuffer()))).not.toContain('Zeldzaamwoord');

    const editorPage = await (
      await fetch(`${server.url}/meetings/${meeting}`, { headers: { cookie: cookie.editor } })
    ).text();
    expect(editorPage).toContain('Vertrouwelijk voorstel Zeldzaamwoord');
    expect(editorPage).toContain('1 eens');
  });

  it('exports the agenda as a PDF (rendered in the worker pool) with the items in order', async () => {
    const doc = await newVoorstel('editor', 'Begroting brandweerkazernes');
    const meeting = await newMeeting('2026-10-08', 'dagelijks_bestuur');
    await api.editor.put(`/api/documents/${doc}/meeting`, { meetingId: meeting, itemNumber: 2 });
    const res = await fetch(`${server.url}/api/meetings/${meeting}/export`, { headers: { cookie: cookie.editor } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain('agenda-dagelijks-bestuur-2026-10-08.pdf');
    // Words only: a table cell wraps a long title over lines.
    const text = pdfText(Buffer.from(await res.arrayBuffer())).replace(/\s+/g, ' ');
    expect(text).toContain('AGENDA');
    expect(text).toContain('Dagelijks bestuur');
    expect(text).toContain('8 oktober 2026');
    expect(text).toContain('Begroting brandweerkazernes');
    expect((await api.editor.get('/api/meetings/00000000-0000-4000-8000-000000000000/export')).status).toBe(404);
  });
});

describe('the document list filters', () => {
  it('by meeting, by status, and "needs my input" (an open round awaiting my answer)', async () => {
    const meeting = await newMeeting('2026-11-12');
    const onAgenda = await newVoorstel('editor', 'Op de agenda Kwartelkoning');
    const elsewhere = await newVoorstel('editor', 'Niet op de agenda Grutto');
    for (const doc of [onAgenda, elsewhere])
      await api.editor.post(`/api/documents/${doc}/members`, { email: email.mayor, role: 'commenter' });
    await api.editor.put(`/api/documents/${onAgenda}/meeting`, { meetingId: meeting, itemNumber: 1 });
    const list = async (who: Who, query: string) =>
      (await fetch(`${server.url}/?${query}`, { headers: { cookie: cookie[who] } })).text();

    const byMeeting = await list('editor', `meeting=${meeting}`);
    expect(byMeeting).toContain('Kwartelkoning');
    expect(byMeeting).not.toContain('Grutto');

    const round = await api.editor.post(`/api/documents/${elsewhere}/rounds`, {
      question: 'Akkoord?',
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const byStatus = await list('mayor', 'status=review');
    expect(byStatus).toContain('Grutto');
    expect(byStatus).not.toContain('Kwartelkoning');

    const needing = await list('mayor', 'mine=1');
    expect(needing).toContain('Grutto');
    expect(needing).not.toContain('Kwartelkoning');
    // The editor is not asked in the round: nothing needs their input.
    expect(await list('editor', 'mine=1')).not.toContain('Grutto');
    await api.mayor.put(`/api/documents/${elsewhere}/rounds/${round.body.round.id}/response`, { position: 'agree' });
    expect(await list('mayor', 'mine=1')).not.toContain('Grutto');
  });

  it('"needs my input" includes an open thread in which a comment mentions me, until it is resolved', async () => {
    const doc = await newVoorstel('editor', 'Met een vermelding');
    await api.editor.post(`/api/documents/${doc}/members`, { email: email.mayor, role: 'commenter' });
    const client = connectProvider(server.url, doc, cookie.editor);
    let anchor: { start: string; end: string };
    try {
      await vi.waitFor(() => expect(client.provider.synced).toBe(true), { timeout: 10_000 });
      anchor = anchorFor(client.fragment, 'Besluit');
    } finally {
      client.destroy();
    }
    expect((await server.services.meetings.needingInput(id.mayor)).has(doc)).toBe(false);
    const thread = await api.editor.post(`/api/documents/${doc}/comments`, {
      anchor,
      body: 'Kunt u hiernaar kijken?',
      mentions: [id.mayor],
    });
    expect(thread.status).toBe(201);
    expect((await server.services.meetings.needingInput(id.mayor)).has(doc)).toBe(true);
    expect((await server.services.meetings.needingInput(id.editor)).has(doc)).toBe(false);
    const threadId = thread.body.thread?.id ?? thread.body.id;
    expect((await api.editor.post(`/api/documents/${doc}/comments/${threadId}/resolve`)).status).toBe(200);
    expect((await server.services.meetings.needingInput(id.mayor)).has(doc)).toBe(false);
  });
});

function pdfText(bytes: Buffer): string {
  const dir = mkdtempSync(path.join(testDataRoot, 'agenda-'));
  const file = path.join(dir, 'agenda.pdf');
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
}
