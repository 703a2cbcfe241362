import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SearchHit, SnippetPart } from '../../common/api/search';
import { compactDocument } from '../../server/collab/persistence';
import { stateFromJSON } from '../../server/content/prosemirror';
import { voorstelDocument } from '../../server/content/templates';
import { connectProvider } from '../helpers/collab';
import { anchorFor } from '../helpers/comments';
import { apiClient, signIn } from '../helpers/http';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
let asEditor: ReturnType<typeof apiClient>;
let asMayor: ReturnType<typeof apiClient>;
let asOutsider: ReturnType<typeof apiClient>;
let editorCookie: string;
let mayorEmail: string;

beforeAll(async () => {
  server = await startTestServer();
  const editor = await makeUser(server, 'Behandelaar', 'Veiligheidsregio Twente');
  const mayor = await makeUser(server, 'Burgemeester', 'Gemeente Hengelo');
  const outsider = await makeUser(server, 'Buitenstaander');
  mayorEmail = mayor.email;
  editorCookie = await signIn(server.url, editor.email);
  asEditor = apiClient(server.url, editorCookie);
  asMayor = apiClient(server.url, await signIn(server.url, mayor.email));
  asOutsider = apiClient(server.url, await signIn(server.url, outsider.email));
});
afterAll(() => server?.dispose());

const joined = (parts: SnippetPart[]) => parts.map((p) => p.text).join('');
const matches = (parts: SnippetPart[]) => parts.filter((p) => p.match).map((p) => p.text.toLowerCase());

async function newDocument(title: string) {
  const res = await asEditor.post('/api/documents', { title, template: 'voorstel' });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

/** Writes a body through the same compaction the collaboration server runs, as if it had been typed and compacted. */
async function compactWithBody(documentId: string, title: string, ...lines: string[]) {
  const ydoc = new Y.Doc();
  const sections = {
    Besluit: [],
    Voorstel: [],
    Samenvatting: [],
    'Aan het algemeen bestuur': lines.map((l) => [l]),
    'Bijlage(n)': [],
  };
  Y.applyUpdate(
    ydoc,
    stateFromJSON(
      voorstelDocument({ metadata: { onderwerp: title, registratienummer: 'VRT-2026-0417' }, sections, closing: [] }),
    ),
  );
  await compactDocument(server.services.db, documentId, ydoc, 0);
}

async function search(client: ReturnType<typeof apiClient>, q: string) {
  const res = await client.get(`/api/search?q=${encodeURIComponent(q)}`);
  expect(res.status).toBe(200);
  return res.body.hits as SearchHit[];
}

describe('search', () => {
  it('finds a document by a Dutch word form in its title, header and body, ranked, with the matches marked', async () => {
    const id = await newDocument('Regionale brandweerkazernes');
    await compactWithBody(
      id,
      'Regionale brandweerkazernes',
      'De burgemeesters bespraken de waterongevallen in Twente.',
    );
    // Another form of the same word (Dutch stemming): "burgemeester" finds "burgemeesters".
    const hits = await search(asEditor, 'burgemeester waterongevallen');
    const hit = hits.find((h) => h.documentId === id)!;
    expect(hit).toMatchObject({ kind: 'document', href: `/documents/${id}`, title: 'Regionale brandweerkazernes' });
    expect(matches(hit.snippet)).toEqual(expect.arrayContaining(['burgemeesters', 'waterongevallen']));
    // Header field (registratienummer) and title are searched too; a title hit ranks above a body-only hit.
    expect((await search(asEditor, 'VRT-2026-0417')).map((h) => h.documentId)).toContain(id);
    const bodyOnly = await newDocument('Iets anders');
    await compactWithBody(bodyOnly, 'Iets anders', 'Over de brandweerkazerne in Almelo.');
    const ranked = (await search(asEditor, 'brandweerkazerne')).map((h) => h.documentId);
    expect(ranked.indexOf(id)).toBeLessThan(ranked.indexOf(bodyOnly));
  });

  it('returns what a person wrote as text parts, never as markup', async () => {
    const id = await newDocument('Opmaak <b>test</b>');
    await compactWithBody(
      id,
      'Opmaak <b>test</b>',
      'Zonnepanelen & <script>alert("x")</script> \u0001nep\u0002 markering',
    );
    const hit = (await search(asEditor, 'zonnepanelen')).find((h) => h.documentId === id)!;
    expect(hit.title).toBe('Opmaak <b>test</b>');
    expect(matches(hit.snippet)).toEqual(['zonnepanelen']);
    // The control characters a person typed are not markers: they are dropped, and "nep" is not marked as a match.
    expect(joined(hit.snippet)).not.toMatch(/[\u0001\u0002]/);
    expect(joined(hit.snippet)).toContain('&');
    expect(JSON.stringify(hit)).not.toContain('<mark');
  });

  it('finds text typed in the editor once the server has compacted it, and comments with a link to their thread', async () => {
    const id = await newDocument('Samenwerking');
    expect((await asEditor.post(`/api/documents/${id}/members`, { email: mayorEmail, role: 'commenter' })).status).toBe(
      201,
    );
    const client = connectProvider(server.url, id, editorCookie);
    await vi.waitFor(() => expect(client.provider.synced).toBe(true), { timeout: 10_000 });
    client.addParagraph('Het dijkversterkingsprogramma vraagt extra inzet.');
    const posted = await asMayor.post(`/api/documents/${id}/comments`, {
      anchor: anchorFor(client.fragment, 'dijkversterkingsprogramma'),
      body: 'Graag de kosten van de evacuatieroutes toelichten.',
    });
    expect(posted.status).toBe(201);
    // Not searchable per keystroke: the text is indexed when the server compacts, at the latest when the last
    // connection leaves and the document is written out.
    client.destroy();
    await vi.waitFor(
      async () => expect((await search(asEditor, 'dijkversterkingsprogramma')).map((h) => h.documentId)).toContain(id),
      { timeout: 30_000, interval: 250 },
    );
    const threadId = posted.body.thread.id as string;
    const hit = (await search(asMayor, 'evacuatieroutes kosten')).find((h) => h.kind === 'comment')!;
    expect(hit).toMatchObject({
      documentId: id,
      threadId,
      href: `/documents/${id}?thread=${threadId}`,
      title: 'Samenwerking',
    });
    expect(matches(hit.snippet)).toEqual(expect.arrayContaining(['evacuatieroutes', 'kosten']));
  });

  it('a non-member never sees a hit, a title or a count from a document they cannot open', async () => {
    const id = await newDocument('Geheim vertrouwelijk agendapunt');
    await compactWithBody(
      id,
      'Geheim vertrouwelijk agendapunt',
      'De reorganisatie van de meldkamer blijft vertrouwelijk.',
    );
    expect((await search(asEditor, 'meldkamer')).map((h) => h.documentId)).toContain(id);
    for (const q of ['meldkamer', 'vertrouwelijk', 'Geheim', 'reorganisatie meldkamer', '"meldkamer"']) {
      const res = await asOutsider.get(`/api/search?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ query: q, hits: [] });
      expect(res.text).not.toContain(id);
      expect(res.text).not.toContain('Geheim vertrouwelijk agendapunt');
    }
  });

  it('a soft-deleted document is found by nobody', async () => {
    const id = await newDocument('Verwijderd stuk over hoogwater');
    expect((await search(asEditor, 'hoogwater')).map((h) => h.documentId)).toContain(id);
    expect((await asEditor.delete(`/api/documents/${id}`)).status).toBe(200);
    expect((await search(asEditor, 'hoogwater')).map((h) => h.documentId)).not.toContain(id);
  });

  it.each([
    ['no q', ''],
    ['an empty q', '?q=%20%20'],
    ['a q of 201 characters', `?q=${'a'.repeat(201)}`],
  ])('refuses %s with 400', async (_name, query) => {
    const res = await asEditor.get(`/api/search${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request:validation');
  });

  it('marks a match deep in a long text (past the start that snippets are looked for in first), and ranks a document whose start mentions the word above one that mentions it only late', async () => {
    const filler = Array.from({ length: 120 }, (_, i) => `Regel ${i} over de begroting en de regio.`);
    const late = await newDocument('Lange tekst');
    await compactWithBody(late, 'Lange tekst', ...filler, 'Helemaal achteraan staat het woord zeppelinhangar.');
    const early = await newDocument('Vroege tekst');
    await compactWithBody(early, 'Vroege tekst', 'De zeppelinhangar staat vooraan.', ...filler);
    const hits = (await search(asEditor, 'zeppelinhangar')).filter((h) => h.kind === 'document');
    expect(hits.map((h) => h.documentId)).toEqual([early, late]);
    for (const hit of hits) expect(matches(hit.snippet)).toEqual(['zeppelinhangar']);
  });

  it('the whole text decides a match: a word the query excludes that stands late in the text makes it no hit', async () => {
    const filler = Array.from({ length: 120 }, (_, i) => `Regel ${i} over de begroting en de regio.`);
    const excluded = await newDocument('Uitsluiting');
    await compactWithBody(
      excluded,
      'Uitsluiting',
      'De luchtschipwerf vooraan.',
      ...filler,
      'Achteraan de waterpolitie.',
    );
    const kept = await newDocument('Zonder uitsluiting');
    await compactWithBody(kept, 'Zonder uitsluiting', 'De luchtschipwerf vooraan.', ...filler);
    const ids = (await search(asEditor, 'luchtschipwerf -waterpolitie')).map((h) => h.documentId);
    expect(ids).toContain(kept);
    expect(ids).not.toContain(excluded);
  });

  it('without a session the search answers 401', async () => {
    expect((await apiClient(server.url).get('/api/search?q=test')).status).toBe(401);
  });
});
