import { eq } from 'drizzle-orm';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { documentMembers, documents, documentSnapshots, documentVersions, users } from '../../db/schema';
import type { PMNode } from '../../server/content/prosemirror';
import { demoPassword } from '../../server/demo/seed';
import { createDocument } from '../../server/documents/documents';
import { connectProvider } from '../helpers/collab';
import { anchorFor } from '../helpers/comments';
import { buildDocx, para } from '../helpers/docx';
import { apiClient, signIn } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * The Word round trip of suggestions and comments: a document with open suggestions (common/schema/suggestions.ts)
 * and comment threads is exported with `suggestions=1`, the file is read back as Word would (word/document.xml,
 * word/comments.xml, word/commentsExtended.xml), and importing it again gives the same suggestions and threads.
 */
let server: TestServer;
const docxType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const people = {
  anne: 'anne.devries@vrtwente.demo', // editor: exports and imports
  daan: 'burgemeester@enschede.demo', // commenter
  eva: 'burgemeester@hengelo.demo', // commenter
} as const;
type Person = keyof typeof people;
const cookies = {} as Record<Person, string>;
const ids = {} as Record<Person, string>;
const api = (p: Person) => apiClient(server.url, cookies[p]);
let documentId: string;

const daanAt = '2026-11-02T09:15:00.000Z';
const evaAt = '2026-11-03T14:40:00.000Z';
const suggestion = (kind: 'Insert' | 'Delete', id: string, who: Person, at: string) => ({
  type: `suggestion${kind}`,
  attrs: { id, authorId: ids[who], createdAt: at },
});
const text = (value: string, marks?: PMNode['marks']): PMNode => ({
  type: 'text',
  text: value,
  ...(marks ? { marks } : {}),
});

/** Suggestions of stored ProseMirror JSON, in document order: one per id, a replacement's halves joined. */
function suggestionsOf(doc: PMNode) {
  const found = new Map<string, { kind: string; text: string; replacement?: string; authorId: string }>();
  const walk = (n: PMNode) => {
    for (const m of n.marks ?? []) {
      if (m.type !== 'suggestionInsert' && m.type !== 'suggestionDelete') continue;
      const a = m.attrs as { id: string; authorId: string };
      const s = found.get(a.id) ?? { kind: '', text: '', authorId: a.authorId };
      if (m.type === 'suggestionDelete') s.text += n.text;
      else if (s.kind === 'delete' || s.kind === 'replace') s.replacement = (s.replacement ?? '') + n.text;
      else s.text += n.text;
      s.kind =
        m.type === 'suggestionDelete'
          ? s.kind === 'insert'
            ? 'replace'
            : s.kind || 'delete'
          : s.kind === 'delete' || s.kind === 'replace'
            ? 'replace'
            : 'insert';
      found.set(a.id, s);
    }
    n.content?.forEach(walk);
  };
  walk(doc);
  return [...found.values()];
}

async function storedJson(id: string): Promise<PMNode> {
  const [row] = await server.services.db
    .select({ json: documentSnapshots.json })
    .from(documentSnapshots)
    .where(eq(documentSnapshots.documentId, id));
  return row!.json as PMNode;
}

async function exportWord(id: string, query = '&suggestions=1') {
  const res = await fetch(`${server.url}/api/documents/${id}/export?format=docx${query}`, {
    headers: { cookie: cookies.anne },
  });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

async function upload(bytes: Uint8Array, name: string) {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(bytes)], { type: docxType }), name);
  const res = await fetch(`${server.url}/api/documents/import`, {
    method: 'POST',
    headers: { cookie: cookies.anne, origin: server.url },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** Threads as the API shows them, comparable across documents. */
async function threadsOf(id: string) {
  const { status, body } = await api('anne').get(`/api/documents/${id}/comments`);
  expect(status).toBe(200);
  return (body.threads as any[]).map((t) => ({
    quote: t.quote,
    status: t.status,
    detached: t.detached,
    comments: (t.comments as any[]).map((c) => ({ author: c.author?.name, body: c.body })),
  }));
}

const attribute = (xml: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(xml)?.[1];
/** Tracked changes of word/document.xml: kind, author, date and their text. */
const trackedChanges = (xml: string) =>
  [...xml.matchAll(/<w:(ins|del)\b([^>]*)>([\s\S]*?)<\/w:\1>/g)].map((m) => ({
    kind: m[1],
    author: attribute(m[2]!, 'w:author'),
    date: attribute(m[2]!, 'w:date'),
    text: [...m[3]!.matchAll(/<w:(?:t|delText)(?:\s[^>]*)?>([^<]*)<\/w:(?:t|delText)>/g)].map((t) => t[1]).join(''),
  }));

beforeAll(async () => {
  server = await startTestServer({ seedDemo: true });
  for (const p of Object.keys(people) as Person[]) {
    cookies[p] = await signIn(server.url, people[p], demoPassword);
    const [u] = await server.services.db.select().from(users).where(eq(users.email, people[p]));
    ids[p] = u!.id;
  }
  const content: PMNode = {
    type: 'doc',
    content: [
      { type: 'heading', attrs: { level: 2 }, content: [text('Regionale inzet')] },
      {
        type: 'paragraph',
        content: [
          text('Wij bieden gemeenten een '),
          text('handreiking', [suggestion('Delete', 'r1', 'daan', daanAt)]),
          text('aanbod', [suggestion('Insert', 'r1', 'daan', daanAt)]),
          text(' voor de inzet.'),
        ],
      },
      {
        type: 'paragraph',
        content: [
          text('Het bestuur besluit '),
          text('vandaag ', [{ type: 'bold' }, suggestion('Insert', 'r2', 'eva', evaAt)]),
          text('tot uitvoering'),
          text(' met spoed', [suggestion('Delete', 'r3', 'daan', daanAt)]),
          text('.'),
        ],
      },
      { type: 'paragraph', content: [text('De kosten zijn 12.000 euro per jaar.')] },
    ],
  };
  ({ id: documentId } = await createDocument(server.services.db, ids.anne, {
    title: 'Inzet met voorstellen',
    template: 'blank',
    content,
  }));
  await server.services.db.insert(documentMembers).values([
    { documentId, userId: ids.daan, role: 'commenter' },
    { documentId, userId: ids.eva, role: 'commenter' },
  ]);

  // Threads made as in the browser: anchors from a stock y-websocket client's copy of the document.
  const client = connectProvider(server.url, documentId, cookies.anne);
  await vi.waitFor(() => expect(client.text()).toContain('De kosten'));
  const first = await api('daan').post(`/api/documents/${documentId}/comments`, {
    anchor: anchorFor(client.fragment, 'tot uitvoering'),
    body: 'Graag toelichten wat uitvoering inhoudt.',
  });
  expect(first.status).toBe(201);
  const reply = await api('anne').post(`/api/documents/${documentId}/comments/${first.body.thread.id}/replies`, {
    body: 'Volgt in de bijlage.',
  });
  expect(reply.status).toBe(201);
  const second = await api('eva').post(`/api/documents/${documentId}/comments`, {
    anchor: anchorFor(client.fragment, '12.000 euro'),
    body: 'Klopt dit bedrag?',
  });
  expect(second.status).toBe(201);
  expect(
    (await api('anne').post(`/api/documents/${documentId}/comments/${second.body.thread.id}/resolve`)).status,
  ).toBe(200);
  client.destroy();
});
afterAll(() => server?.dispose());

describe('Word export with suggestions=1', () => {
  it('writes open suggestions as tracked changes with the author’s name and time', async () => {
    const zip = await JSZip.loadAsync(await exportWord(documentId));
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(trackedChanges(xml)).toEqual([
      { kind: 'del', author: 'Daan Visser', date: daanAt, text: 'handreiking' },
      { kind: 'ins', author: 'Daan Visser', date: daanAt, text: 'aanbod' },
      { kind: 'ins', author: 'Eva Smit', date: evaAt, text: 'vandaag ' },
      { kind: 'del', author: 'Daan Visser', date: daanAt, text: ' met spoed' },
    ]);
    // Formatting inside a tracked change stays: the suggested "vandaag " is bold.
    expect(/<w:ins\b[^>]*w:author="Eva Smit"[^>]*><w:r><w:rPr><w:b\/>/.test(xml)).toBe(true);
  });

  it('writes the threads as Word comments on their passages, replies linked, a resolved thread done', async () => {
    const zip = await JSZip.loadAsync(await exportWord(documentId));
    const xml = await zip.file('word/document.xml')!.async('string');
    const commentsXml = await zip.file('word/comments.xml')!.async('string');
    const extended = await zip.file('word/commentsExtended.xml')!.async('string');
    const comments = [...commentsXml.matchAll(/<w:comment\b([^>]*)>([\s\S]*?)<\/w:comment>/g)].map((m) => ({
      id: attribute(m[1]!, 'w:id')!,
      author: attribute(m[1]!, 'w:author'),
      text: [...m[2]!.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''),
      paraId: attribute(m[2]!, 'w14:paraId'),
    }));
    expect(comments.map(({ author, text }) => ({ author, text }))).toEqual([
      { author: 'Daan Visser', text: 'Graag toelichten wat uitvoering inhoudt.' },
      { author: 'Anne de Vries', text: 'Volgt in de bijlage.' },
      { author: 'Eva Smit', text: 'Klopt dit bedrag?' },
    ]);
    // Each comment covers its passage: the text between commentRangeStart and commentRangeEnd.
    for (const [i, passage] of [
      [0, 'tot uitvoering'],
      [1, 'tot uitvoering'],
      [2, '12.000 euro'],
    ] as const) {
      const id = comments[i]!.id;
      const range = new RegExp(`<w:commentRangeStart w:id="${id}"/>([\\s\\S]*?)<w:commentRangeEnd w:id="${id}"/>`).exec(
        xml,
      );
      expect(range).not.toBeNull();
      const covered = [...range![1]!.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('');
      expect(covered).toBe(passage);
      expect(xml).toContain(`<w:commentReference w:id="${id}"/>`);
    }
    // The reply points at the comment it answers; the resolved thread is marked done.
    expect(extended).toMatch(
      new RegExp(`<w15:commentEx w15:paraId="${comments[1]!.paraId}" w15:paraIdParent="${comments[0]!.paraId}"`),
    );
    expect(extended).toMatch(new RegExp(`<w15:commentEx w15:paraId="${comments[2]!.paraId}" w15:done="1"`));
  });

  it('without suggestions=1 every export shows the accepted text and no comments', async () => {
    const zip = await JSZip.loadAsync(await exportWord(documentId, ''));
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).not.toMatch(/<w:(ins|del)\b|commentRange/);
    expect(zip.file('word/comments.xml')).toBeNull();
    const lines = [...xml.matchAll(/<w:p\b[^>]*>([\s\S]*?)<\/w:p>/g)].map((m) =>
      [...m[1]!.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''),
    );
    expect(lines).toContain('Wij bieden gemeenten een handreiking voor de inzet.');
    expect(lines).toContain('Het bestuur besluit tot uitvoering met spoed.');
    const md = await fetch(`${server.url}/api/documents/${documentId}/export?format=md`, {
      headers: { cookie: cookies.anne },
    }).then((r) => r.text());
    expect(md).toContain('Het bestuur besluit tot uitvoering met spoed.');
    expect(md).not.toMatch(/aanbod|vandaag/);
  });

  it('a signed-off document: the signed version with its sign-off lines, and the threads on their passages', async () => {
    const db = server.services.db;
    const { id } = await createDocument(db, ids.anne, {
      title: 'Vastgesteld',
      template: 'blank',
      content: { type: 'doc', content: [{ type: 'paragraph', content: [text('Het besluit is genomen.')] }] },
    });
    await db.insert(documentMembers).values({ documentId: id, userId: ids.daan, role: 'commenter' });
    const client = connectProvider(server.url, id, cookies.anne);
    await vi.waitFor(() => expect(client.text()).toContain('genomen'));
    const thread = await api('daan').post(`/api/documents/${id}/comments`, {
      anchor: anchorFor(client.fragment, 'besluit'),
      body: 'Akkoord.',
    });
    expect(thread.status).toBe(201);
    client.destroy();
    // The signed version as a sign-off stores it: the document's state and JSON at that moment.
    const [snapshot] = await db.select().from(documentSnapshots).where(eq(documentSnapshots.documentId, id));
    await db.insert(documentVersions).values({
      documentId: id,
      kind: 'signed',
      state: snapshot!.state,
      json: snapshot!.json,
      text: snapshot!.text,
      sha256: 'a'.repeat(64),
      createdBy: ids.anne,
    });
    await db.update(documents).set({ status: 'signed_off' }).where(eq(documents.id, id));

    const zip = await JSZip.loadAsync(await exportWord(id));
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toContain('a'.repeat(64));
    expect(xml).toMatch(
      /<w:commentRangeStart w:id="0"\/><w:r><w:t xml:space="preserve">besluit<\/w:t><\/w:r><w:commentRangeEnd w:id="0"\/>/,
    );
    expect(await zip.file('word/comments.xml')!.async('string')).toContain('Akkoord.');
  });

  it('suggestions=1 is for Word files only, and only 0 or 1', async () => {
    for (const query of ['format=pdf&suggestions=1', 'format=docx&suggestions=yes']) {
      const res = await api('anne').get(`/api/documents/${documentId}/export?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('bad_request:suggestions');
    }
  });
});

describe('import of a Word file with tracked changes and comments', () => {
  it('round trip: the same suggestions (kind, text, author) and threads (text, quote, replies, status)', async () => {
    const res = await upload(await exportWord(documentId), 'inzet-met-voorstellen.docx');
    expect(res.status).toBe(201);
    expect(res.body.converted).toEqual({ suggestions: { insert: 1, delete: 1, replace: 1 }, threads: 2, replies: 1 });
    expect(res.body.warnings).toEqual([]);

    const original = suggestionsOf(await storedJson(documentId));
    expect(original).toEqual([
      { kind: 'replace', text: 'handreiking', replacement: 'aanbod', authorId: ids.daan },
      { kind: 'insert', text: 'vandaag ', authorId: ids.eva },
      { kind: 'delete', text: ' met spoed', authorId: ids.daan },
    ]);
    expect(suggestionsOf(await storedJson(res.body.id))).toEqual(original);

    const before = await threadsOf(documentId);
    expect(before).toHaveLength(2);
    expect(await threadsOf(res.body.id)).toEqual(before);

    // The imported suggestions are in the shared document a stock y-websocket client syncs, with their marks.
    const client = connectProvider(server.url, res.body.id, cookies.anne);
    await vi.waitFor(() => expect(client.text()).toContain('De kosten'));
    const paragraph = client.fragment.get(2) as unknown as { get(i: number): { toDelta(): any[] } };
    expect(paragraph.get(0).toDelta()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          insert: 'vandaag ',
          attributes: expect.objectContaining({
            suggestionInsert: expect.objectContaining({ authorId: ids.eva, createdAt: evaAt }),
          }),
        }),
      ]),
    );
    client.destroy();
  });

  it('a Word file from elsewhere: unknown authors go to the importer with their names kept, and what cannot be converted is reported', async () => {
    const ins = (author: string, body: string) =>
      `<w:ins w:id="11" w:author="${author}" w:date="2026-10-01T08:00:00Z"><w:r><w:t xml:space="preserve">${body}</w:t></w:r></w:ins>`;
    const del = (author: string, body: string) =>
      `<w:del w:id="12" w:author="${author}" w:date="2026-10-01T08:01:00Z"><w:r><w:delText xml:space="preserve">${body}</w:delText></w:r></w:del>`;
    const body =
      `<w:p><w:r><w:t xml:space="preserve">De raad </w:t></w:r>${ins('Gemeentesecretaris Oldenzaal', 'van Oldenzaal ')}` +
      `<w:r><w:t xml:space="preserve">stemt in</w:t></w:r>${del('burgemeester@enschede.demo', ' zonder voorbehoud')}` +
      `<w:r><w:t>.</w:t></w:r></w:p>` +
      // Formatting change (kept as accepted) and a text that was inserted and deleted again (left out).
      `<w:p><w:r><w:rPr><w:b/><w:rPrChange w:id="13" w:author="X" w:date="2026-10-01T08:02:00Z"><w:rPr/></w:rPrChange></w:rPr><w:t>Vet.</w:t></w:r>` +
      `<w:ins w:id="14" w:author="X" w:date="2026-10-01T08:03:00Z"><w:del w:id="15" w:author="Y" w:date="2026-10-01T08:04:00Z"><w:r><w:delText>weg</w:delText></w:r></w:del></w:ins></w:p>` +
      // A comment over two runs, and one with no range at all.
      `<w:p><w:commentRangeStart w:id="1"/><w:r><w:t xml:space="preserve">Tweede </w:t></w:r><w:r><w:t>zin</w:t></w:r><w:commentRangeEnd w:id="1"/><w:r><w:commentReference w:id="1"/></w:r><w:r><w:commentReference w:id="2"/></w:r></w:p>` +
      para('Slot.');
    const comments =
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
      `<w:comment w:id="1" w:author="Jan Extern" w:date="2026-10-02T10:00:00Z"><w:p><w:r><w:t>Waarom twee?</w:t></w:r></w:p></w:comment>` +
      `<w:comment w:id="2" w:author="Eva Smit" w:date="2026-10-02T11:00:00Z"><w:p><w:r><w:t>Zonder plek.</w:t></w:r></w:p></w:comment></w:comments>`;
    const res = await upload(await buildDocx(body, { files: { 'word/comments.xml': comments } }), 'extern.docx');
    expect(res.status).toBe(201);
    expect(res.body.converted).toEqual({ suggestions: { insert: 1, delete: 1, replace: 0 }, threads: 1, replies: 0 });
    const codes = res.body.warnings.map((w: { code: string }) => w.code).sort();
    expect(codes).toEqual(['authors_unmatched', 'comments_unanchored', 'formatting_changes', 'nested_changes']);
    const unmatched = res.body.warnings.find((w: { code: string }) => w.code === 'authors_unmatched').message;
    expect(unmatched).toContain('Gemeentesecretaris Oldenzaal');
    expect(unmatched).toContain('Jan Extern');
    expect(unmatched).not.toContain('burgemeester@enschede.demo'); // matched by e-mail address

    expect(suggestionsOf(await storedJson(res.body.id))).toEqual([
      { kind: 'insert', text: 'van Oldenzaal ', authorId: ids.anne },
      { kind: 'delete', text: ' zonder voorbehoud', authorId: ids.daan },
    ]);
    const json = JSON.stringify(await storedJson(res.body.id));
    expect(json).toContain('Vet.');
    expect(json).not.toContain('weg');
    expect(json).not.toContain('\uE000'); // no marker survives
    expect(await threadsOf(res.body.id)).toEqual([
      {
        quote: 'Tweede zin',
        status: 'open',
        detached: false,
        comments: [{ author: 'Anne de Vries', body: '[Jan Extern] Waarom twee?' }],
      },
    ]);
  });
});
