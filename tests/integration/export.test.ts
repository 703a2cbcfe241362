import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { documentVersions, documents, users } from '../../db/schema';
import { plainText, stateFromJSON, type PMNode } from '../../server/content/prosemirror';
import { voorstelSections } from '../../server/content/templates';
import { demoMemo } from '../../server/demo/memo';
import { demoPassword } from '../../server/demo/seed';
import { createDocument } from '../../server/documents/documents';
import { connectProvider } from '../helpers/collab';
import { readPdf, squash, wordParagraphs } from '../helpers/docx';
import { apiClient, signIn } from '../helpers/http';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';
import { contentFragmentName } from '../../common/schema/fragment';

let server: TestServer;
let memoId: string;
let editorCookie: string;
let asEditor: ReturnType<typeof apiClient>;
let asMayor: ReturnType<typeof apiClient>;
let asOutsider: ReturnType<typeof apiClient>;
const memo = demoMemo();
const bodySentence = 'Gemeenten bepalen zelf of ze er gebruik van maken.';

beforeAll(async () => {
  server = await startTestServer({ seedDemo: true });
  const [doc] = await server.services.db.select().from(documents).where(eq(documents.title, memo.title));
  memoId = doc!.id;
  editorCookie = await signIn(server.url, 'anne.devries@vrtwente.demo', demoPassword);
  asEditor = apiClient(server.url, editorCookie);
  asMayor = apiClient(server.url, await signIn(server.url, 'burgemeester@enschede.demo', demoPassword));
  asOutsider = apiClient(
    server.url,
    await signIn(server.url, (await makeUser(server, 'Buiten')).email, 'correct horse battery staple'),
  );
});
afterAll(() => server?.dispose());

async function download(documentId: string, format: string, cookie = editorCookie) {
  const res = await fetch(`${server.url}/api/documents/${documentId}/export?format=${format}`, { headers: { cookie } });
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

/** How often a text says "Aldus vastgesteld" (the sign-off statement must appear once, never twice). */
const adoptedCount = (text: string) => text.match(/Aldus vastgesteld/g)?.length ?? 0;

async function auditActions(documentId: string) {
  const res = await asEditor.get(`/api/documents/${documentId}/audit`);
  return res.body.events as { action: string; details: Record<string, unknown> }[];
}

describe('export of the demo memo', () => {
  it('the PDF is A4 with selectable text: subject, every section heading, a body sentence and "-N-" on every page', async () => {
    const { res, bytes } = await download(memoId, 'pdf');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="Regionale-input-voor-coalitieakkoorden\.pdf"/,
    );
    const { text, pages } = readPdf(bytes);
    expect(pages).toBeGreaterThanOrEqual(2);
    const flat = squash(text);
    expect(flat).toContain('VOORSTEL');
    for (const label of [
      'ONDERWERP',
      'AGENDAPUNT',
      'DATUM',
      'OPENBAAR',
      'BEHANDELD DOOR',
      'REGISTRATIENUMMER',
      'TELEFOONNUMMER',
      'PORTEFEUILLEHOUDER',
    ]) {
      expect(flat).toContain(label);
    }
    expect(flat).toContain('Regionale input voor coalitieakkoorden');
    const lines = text.replace(/\f/g, '\n'); // pdftotext ends each page with a form feed
    for (const heading of voorstelSections)
      expect(lines).toMatch(new RegExp(`^${heading.replace(/[()]/g, '\\$&')}$`, 'm'));
    expect(flat).toContain(bodySentence);
    expect(flat).toContain('Enschede, 26 januari 2022'); // the closing block
    const pageNumbers = text
      .split('\f')
      .map((page) => /^\s*-(\d+)-\s*$/m.exec(page)?.[1])
      .filter(Boolean);
    expect(pageNumbers).toEqual(Array.from({ length: pages }, (_, i) => String(i + 1)));
  });

  it('the DOCX has the same text in word/document.xml, Word heading styles, the header table, A4 and a page-number footer', async () => {
    const { res, bytes } = await download(memoId, 'docx');
    expect(res.status).toBe(200);
    const zip = await JSZip.loadAsync(bytes);
    const xml = await zip.file('word/document.xml')!.async('string');
    const paragraphs = wordParagraphs(xml);
    expect(paragraphs.filter((p) => p.style === 'Heading2').map((p) => p.text)).toEqual([...voorstelSections]);
    expect(paragraphs.map((p) => p.text)).toContain('Regionale input voor coalitieakkoorden');
    expect(squash(paragraphs.map((p) => p.text).join(' '))).toContain(bodySentence);
    expect(xml).toMatch(/<w:tbl>[\s\S]*ONDERWERP[\s\S]*PORTEFEUILLEHOUDER[\s\S]*<\/w:tbl>/);
    expect(xml).toContain('w:w="11906"'); // A4 width in twentieths of a point
    const footers = await Promise.all(
      Object.keys(zip.files)
        .filter((f) => /^word\/footer\d*\.xml$/.test(f))
        .map((f) => zip.file(f)!.async('string')),
    );
    expect(footers.join('')).toMatch(/-<\/w:t>[\s\S]*PAGE[\s\S]*<w:t[^>]*>-/);
  });

  it('the HTML is standalone with print styles and no scripts; the Markdown has headings and the header table', async () => {
    const html = new TextDecoder().decode((await download(memoId, 'html')).bytes);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('@media print');
    expect(html).toContain('@page { size: A4');
    expect(html).not.toMatch(/<script|<link|src=/i);
    for (const heading of voorstelSections) expect(html).toContain(`<h2>${heading}</h2>`);
    expect(html).toContain('<th scope="row">ONDERWERP</th><td>Regionale input voor coalitieakkoorden</td>');
    const md = new TextDecoder().decode((await download(memoId, 'md')).bytes);
    for (const heading of voorstelSections)
      expect(md).toMatch(new RegExp(`^### ${heading.replace(/[()]/g, '\\\\?\\$&')}$`, 'm'));
    expect(md).toContain('| ONDERWERP | Regionale input voor coalitieakkoorden |');
    expect(md).toContain(bodySentence);
  });

  it('an edit that has just reached the server is in the export (pending writes are flushed first)', async () => {
    const client = connectProvider(server.url, memoId, editorCookie);
    await vi.waitFor(() => expect(client.provider.synced).toBe(true));
    client.addParagraph('Zojuist toegevoegd door de behandelaar.');
    await vi.waitFor(() =>
      expect(server.collab.loadedDocument(memoId)?.ydoc.getXmlFragment(contentFragmentName).toString()).toContain(
        'Zojuist toegevoegd',
      ),
    );
    const md = new TextDecoder().decode((await download(memoId, 'md')).bytes);
    expect(md).toContain('Zojuist toegevoegd door de behandelaar.');
    client.destroy();
  });

  it('members of any role export; others get 404, no session 401, an unknown format 400', async () => {
    expect((await asMayor.get(`/api/documents/${memoId}/export?format=md`)).status).toBe(200);
    const hidden = await asOutsider.get(`/api/documents/${memoId}/export?format=pdf`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('not_found:document');
    expect((await apiClient(server.url).get(`/api/documents/${memoId}/export?format=pdf`)).status).toBe(401);
    const bad = await asEditor.get(`/api/documents/${memoId}/export?format=odt`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_request:format');
  });
});

describe('export of structure', () => {
  const rich: PMNode = {
    type: 'doc',
    content: [
      { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Kazernes' }] },
      {
        type: 'bulletList',
        content: ['Hengelo', 'Almelo'].map((t) => ({
          type: 'listItem',
          content: [{ type: 'paragraph', content: [{ type: 'text', text: t }] }],
        })),
      },
      {
        type: 'orderedList',
        attrs: { start: 1 },
        content: [
          {
            type: 'listItem',
            content: [
              { type: 'paragraph', content: [{ type: 'text', text: 'Eerst bouwen', marks: [{ type: 'bold' }] }] },
            ],
          },
        ],
      },
      {
        type: 'table',
        content: [
          {
            type: 'tableRow',
            content: ['Gemeente', 'Posten'].map((t) => ({
              type: 'tableHeader',
              content: [{ type: 'paragraph', content: [{ type: 'text', text: t }] }],
            })),
          },
          {
            type: 'tableRow',
            content: ['Enschede', '4'].map((t) => ({
              type: 'tableCell',
              content: [{ type: 'paragraph', content: [{ type: 'text', text: t }] }],
            })),
          },
        ],
      },
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'Zie ' },
          { type: 'text', text: 'de website', marks: [{ type: 'link', attrs: { href: 'https://www.vrtwente.nl/' } }] },
          { type: 'text', text: ' en ' },
          { type: 'text', text: 'dit', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] },
        ],
      },
    ],
  };
  let id: string;
  beforeAll(async () => {
    const [anne] = await server.services.db.select().from(users).where(eq(users.email, 'anne.devries@vrtwente.demo'));
    id = (await createDocument(server.services.db, anne!.id, { title: 'Structuur', template: 'blank', content: rich }))
      .id;
  });

  it('lists, tables and links become Word numbering, tables and hyperlinks; an unsafe link keeps only its text', async () => {
    const zip = await JSZip.loadAsync((await download(id, 'docx')).bytes);
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml.match(/<w:numPr>/g)).toHaveLength(3);
    expect(xml).toMatch(/<w:tbl>[\s\S]*<w:tblHeader\/>[\s\S]*Gemeente[\s\S]*Enschede[\s\S]*<\/w:tbl>/);
    expect(xml).toMatch(/<w:hyperlink [^>]*r:id="[^"]+"[^>]*>[\s\S]*?de website/);
    const rels = await zip.file('word/_rels/document.xml.rels')!.async('string');
    expect(rels).toContain('Target="https://www.vrtwente.nl/"');
    expect(rels).not.toContain('javascript');
    const html = new TextDecoder().decode((await download(id, 'html')).bytes);
    expect(html).toContain('<ul><li><p>Hengelo</p></li><li><p>Almelo</p></li></ul>');
    expect(html).toContain('<th>');
    expect(html).toContain('<a href="https://www.vrtwente.nl/" rel="noopener noreferrer">de website</a> en dit');
    expect(html).not.toContain('javascript');
    const md = new TextDecoder().decode((await download(id, 'md')).bytes);
    expect(md).toContain('- Hengelo\n- Almelo');
    expect(md).toContain('1. **Eerst bouwen**');
    expect(md).toContain('| Gemeente | Posten |\n| --- | --- |\n| Enschede | 4 |');
    expect(md).toContain('[de website](<https://www.vrtwente.nl/>) en dit');
    const pdf = squash(readPdf((await download(id, 'pdf')).bytes).text);
    expect(pdf).toMatch(/• Hengelo • Almelo 1\. Eerst bouwen Gemeente Posten Enschede 4 Zie de website en dit/);
  });
});

describe('export of a signed-off document', () => {
  it('exports the signed version with the "Aldus vastgesteld" line, the signer, the date and its SHA-256, and logs the export', async () => {
    const db = server.services.db;
    const [chair] = await db.select().from(users).where(eq(users.email, 'voorzitter@vrtwente.demo'));
    const [anne] = await db.select().from(users).where(eq(users.email, 'anne.devries@vrtwente.demo'));
    const { id } = await createDocument(db, anne!.id, { title: memo.title, template: 'voorstel', content: memo.doc });
    // The signed version is frozen content; the live state differs, and the export must show the version.
    const signedJson: PMNode = {
      ...memo.doc,
      content: [
        ...memo.doc.content!,
        { type: 'paragraph', content: [{ type: 'text', text: 'Tekst zoals vastgesteld.' }] },
      ],
    };
    const sha256 = createHash('sha256').update(JSON.stringify(signedJson)).digest('hex');
    const signedAt = new Date('2022-02-17T15:30:00Z');
    await db.insert(documentVersions).values({
      documentId: id,
      kind: 'signed',
      state: stateFromJSON(signedJson),
      json: signedJson,
      text: plainText(signedJson),
      sha256,
      createdBy: chair!.id,
      createdAt: signedAt,
    });
    await db.update(documents).set({ status: 'signed_off' }).where(eq(documents.id, id));
    const before = (await auditActions(id)).filter((e) => e.action === 'export.signed').length;

    const pdf = squash(readPdf((await download(id, 'pdf')).bytes).text);
    expect(pdf).toContain('Aldus vastgesteld in de vergadering van het algemeen bestuur d.d. 17 februari 2022.');
    expect(adoptedCount(pdf)).toBe(1);
    expect(pdf).toContain('Vastgesteld door Carla Mulder op 17 februari 2022 om 16:30.');
    expect(pdf).toContain(sha256);
    expect(pdf).toContain('Tekst zoals vastgesteld.');
    const xml = await (
      await JSZip.loadAsync((await download(id, 'docx')).bytes)
    )
      .file('word/document.xml')!
      .async('string');
    expect(xml).toContain(sha256);
    expect(xml).toContain('Carla Mulder');

    const events = (await auditActions(id)).filter((e) => e.action === 'export.signed');
    expect(events.length - before).toBe(2);
    expect(events[0]!.details).toMatchObject({ format: 'docx', sha256 });
    expect(events[1]!.details).toMatchObject({ format: 'pdf', sha256 });
    // A draft's export is not a record of a decision: it is not logged.
    await download(memoId, 'pdf');
    expect((await auditActions(memoId)).some((e) => e.action === 'export.signed')).toBe(false);
  });

  it('after a real sign-off by the chair, every format carries that sign-off’s hash, signer and meeting date, and the "Aldus vastgesteld" statement exactly once', async () => {
    const db = server.services.db;
    const [chair] = await db.select().from(users).where(eq(users.email, 'voorzitter@vrtwente.demo'));
    const [anne] = await db.select().from(users).where(eq(users.email, 'anne.devries@vrtwente.demo'));
    const { id } = await createDocument(db, anne!.id, { title: memo.title, template: 'voorstel', content: memo.doc });
    await server.services.members.add(anne!.id, id, { email: chair!.email, role: 'chair' });
    await server.services.workflow.changeStatus(anne!.id, id, 'review');
    await server.services.workflow.changeStatus(anne!.id, id, 'ready');
    // Before the sign-off the closing block's sign-off part is empty: no statement in any format yet.
    const draftMd = new TextDecoder().decode((await download(id, 'md')).bytes);
    expect(draftMd).toContain('Enschede, 26 januari 2022');
    expect(adoptedCount(draftMd)).toBe(0);
    const signed = await server.services.workflow.signOff(chair!.id, id);
    const md = new TextDecoder().decode((await download(id, 'md')).bytes);
    const html = new TextDecoder().decode((await download(id, 'html')).bytes);
    const pdf = squash(readPdf((await download(id, 'pdf')).bytes).text);
    const documentXml = await (
      await JSZip.loadAsync((await download(id, 'docx')).bytes)
    )
      .file('word/document.xml')!
      .async('string');
    const docx = wordParagraphs(documentXml)
      .map((p) => p.text)
      .join('\n');
    for (const text of [md, html, pdf, docx]) {
      expect(text).toContain('Aldus vastgesteld in de vergadering van het algemeen bestuur d.d. 17 februari 2022.');
      expect(adoptedCount(text)).toBe(1);
      expect(text).toContain(signed.sha256);
      expect(text).toContain('Carla Mulder');
    }
  });
});
