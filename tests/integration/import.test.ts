import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditEvents, documentMembers, documentSnapshots, documents, users } from '../../db/schema';
import { plainText, type PMNode } from '../../server/content/prosemirror';
import { demoMemo } from '../../server/demo/memo';
import { demoPassword } from '../../server/demo/seed';
import { createDocument } from '../../server/documents/documents';
import { connectProvider } from '../helpers/collab';
import { buildDocx, hyperlink, linkedImage, para } from '../helpers/docx';
import { signIn } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
let cookie: string;
let memoId: string;
const memo = demoMemo();
const docxType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

beforeAll(async () => {
  server = await startTestServer({ seedDemo: true });
  const [doc] = await server.services.db.select().from(documents).where(eq(documents.title, memo.title));
  memoId = doc!.id;
  cookie = await signIn(server.url, 'anne.devries@vrtwente.demo', demoPassword);
});
afterAll(() => server?.dispose());

async function upload(
  bytes: Uint8Array,
  name = 'voorstel.docx',
  extra: Record<string, string> = {},
  headers: Record<string, string> = {},
) {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(bytes)], { type: docxType }), name);
  for (const [k, v] of Object.entries(extra)) form.set(k, v);
  const res = await fetch(`${server.url}/api/documents/import`, {
    method: 'POST',
    headers: { cookie, origin: server.url, ...headers },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function exported(documentId: string, format: string) {
  const res = await fetch(`${server.url}/api/documents/${documentId}/export?format=${format}`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

async function storedJson(documentId: string): Promise<PMNode> {
  const [row] = await server.services.db
    .select({ json: documentSnapshots.json })
    .from(documentSnapshots)
    .where(eq(documentSnapshots.documentId, documentId));
  return row!.json as PMNode;
}

/** Text lines of a document without the empty placeholder paragraphs (exports leave those out). */
const lines = (doc: PMNode) =>
  plainText(doc)
    .split('\n')
    .filter((l) => l.trim());

/** Every node of a subtree, depth first. */
const nodes = (n: PMNode): PMNode[] => [n, ...(n.content ?? []).flatMap(nodes)];

/** Everything an import writes; a refused one changes none of it. */
async function rowCounts() {
  const db = server.services.db;
  const n = async (table: typeof documents | typeof documentMembers | typeof documentSnapshots | typeof auditEvents) =>
    (await db.select({ n: count() }).from(table))[0]!.n;
  return {
    documents: await n(documents),
    members: await n(documentMembers),
    snapshots: await n(documentSnapshots),
    audit: await n(auditEvents),
  };
}

describe('import of a Word document', () => {
  it('importing the exported DOCX again yields the same text, the metadata header and the closing block (a round trip)', async () => {
    const res = await upload(await exported(memoId, 'docx'), 'Regionale-input.docx');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      title: memo.title,
      template: 'voorstel',
      status: 'draft',
      role: 'editor',
      warnings: [],
    });
    const imported = await storedJson(res.body.id);
    expect(lines(imported)).toEqual(lines(await storedJson(memoId)));
    expect(imported.content![0]!.type).toBe('metadata');
    expect(imported.content!.at(-1)!.type).toBe('closingBlock');
    const meta = await fetch(`${server.url}/api/documents/${res.body.id}`, { headers: { cookie } }).then((r) =>
      r.json(),
    );
    expect(meta.metadata).toMatchObject({ onderwerp: memo.title, agendapunt: 'E3', datum: '17 februari 2022' });
  });

  it('headings, lists, tables and links survive export to Word and import again', async () => {
    const [anne] = await server.services.db.select().from(users).where(eq(users.email, 'anne.devries@vrtwente.demo'));
    const rich: PMNode = {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'Posten' }] },
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
              content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Eerst', marks: [{ type: 'bold' }] }] }],
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
            {
              type: 'text',
              text: 'de website',
              marks: [{ type: 'link', attrs: { href: 'https://www.vrtwente.nl/' } }],
            },
          ],
        },
      ],
    };
    const { id } = await createDocument(server.services.db, anne!.id, {
      title: 'Structuur',
      template: 'blank',
      content: rich,
    });
    const res = await upload(await exported(id, 'docx'), 'structuur.docx', { title: 'Structuur terug' });
    expect(res.status).toBe(201);
    expect(res.body.title).toBe('Structuur terug');
    expect(res.body.template).toBe('blank'); // no header table in the export of a blank document, none back
    const doc = await storedJson(res.body.id);
    expect(doc.content!.map((n) => n.type)).toEqual(['heading', 'bulletList', 'orderedList', 'table', 'paragraph']);
    expect(doc.content![0]!.attrs).toEqual({ level: 3 });
    expect(lines(doc)).toEqual(lines(rich));
    const bold = nodes(doc.content![2]!).find((n) => n.text === 'Eerst');
    expect(bold?.marks).toEqual([{ type: 'bold' }]);
    expect(nodes(doc.content![3]!).filter((n) => n.type === 'tableHeader')).toHaveLength(2);
    expect(nodes(doc.content![3]!).filter((n) => n.type === 'tableCell')).toHaveLength(2);
    const link = nodes(doc.content![4]!).find((n) => n.text === 'de website');
    expect(link?.marks).toEqual([
      { type: 'link', attrs: expect.objectContaining({ href: 'https://www.vrtwente.nl/' }) },
    ]);
  });

  it('the imported content is the initial Yjs state: a collaborator syncs it from the server', async () => {
    const res = await upload(await buildDocx(para('Eerste alinea uit Word.') + para('Tweede alinea.')), 'kort.docx');
    expect(res.status).toBe(201);
    expect(res.body.template).toBe('blank');
    const client = connectProvider(server.url, res.body.id, cookie);
    await vi.waitFor(() => expect(client.text()).toBe('Eerste alinea uit Word.\nTweede alinea.\n'));
    client.destroy();
    const [created] = await server.services.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.documentId, res.body.id));
    expect(created).toMatchObject({
      action: 'document.created',
      details: expect.objectContaining({ source: 'docx', fileName: 'kort.docx' }),
    });
  });

  it('macros, script links and remote images are removed, never run or fetched, and the response says so', async () => {
    let fetched = 0;
    const imageHost = http.createServer((_req, res) => (fetched++, res.end()));
    await new Promise<void>((r) => imageHost.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(imageHost.address() as AddressInfo).port}/tracker.png`;
    const link = hyperlink('rId5', 'javascript:alert(document.cookie)', 'klik hier');
    const image = linkedImage('rId6', url);
    const bytes = await buildDocx(para('Gewone tekst.') + link.xml + image.xml, {
      rels: link.rel + image.rel,
      files: { 'word/vbaProject.bin': new Uint8Array([0xd0, 0xcf, 0x11, 0xe0]) },
    });
    const res = await upload(bytes, 'met-macro.docx');
    imageHost.close();
    expect(res.status).toBe(201);
    expect(res.body.warnings.map((w: { code: string }) => w.code).sort()).toEqual([
      'links_removed',
      'remote_images_removed',
      'scripts_removed',
    ]);
    for (const w of res.body.warnings) expect(w.message).toMatch(/\w{5,}/);
    const json = JSON.stringify(await storedJson(res.body.id));
    expect(json).toContain('klik hier');
    expect(json).not.toMatch(/javascript|tracker|image/i);
    expect(fetched).toBe(0);
  });
});

describe('refused uploads leave nothing behind', () => {
  const bigZipBomb = async () =>
    buildDocx(para('x'), { files: { 'word/media/zeros.bin': new Uint8Array(101 * 1024 * 1024) } });
  const cases: [string, () => Promise<{ status: number; body: any }>, number, string][] = [
    ['a file over 10 MB', async () => upload(new Uint8Array(10 * 1024 * 1024 + 1), 'groot.docx'), 413, 'too_large'],
    [
      'a request body far over 10 MB',
      async () => upload(new Uint8Array(11 * 1024 * 1024), 'groter.docx'),
      413,
      'too_large',
    ],
    [
      'a PDF named .docx',
      async () => upload(new TextEncoder().encode('%PDF-1.7\n1 0 obj\n'), 'nep.docx'),
      415,
      'unsupported_media_type:not_docx',
    ],
    [
      'a file that is not .docx by name',
      async () => upload(await buildDocx(para('x')), 'notities.txt'),
      415,
      'unsupported_media_type:not_docx',
    ],
    [
      'a ZIP that is not a Word document',
      async () =>
        upload(await buildDocx(para('x'), { mainType: 'application/vnd.oasis.opendocument.text' }), 'odt.docx'),
      415,
      'unsupported_media_type:not_docx',
    ],
    [
      'a truncated archive',
      async () => {
        const b = await buildDocx(para('Afgebroken upload.'));
        return upload(b.subarray(0, Math.floor(b.length / 2)), 'half.docx');
      },
      422,
      'invalid:corrupt_docx',
    ],
    [
      'an archive with a damaged entry',
      async () => {
        const b = Buffer.from(await buildDocx(para('Beschadigd.'.repeat(50)), { compression: 'STORE' }));
        const at = b.indexOf('Beschadigd.');
        b[at] = 'X'.charCodeAt(0); // the CRC-32 no longer matches
        return upload(b, 'kapot.docx');
      },
      422,
      'invalid:corrupt_docx',
    ],
    [
      'a zip bomb (more than 100 MB uncompressed)',
      async () => upload(await bigZipBomb(), 'bom.docx'),
      413,
      'too_large:uncompressed',
    ],
    [
      'no file',
      async () => {
        const form = new FormData();
        form.set('title', 'Zonder bestand');
        const res = await fetch(`${server.url}/api/documents/import`, {
          method: 'POST',
          headers: { cookie, origin: server.url },
          body: form,
        });
        return { status: res.status, body: await res.json() };
      },
      400,
      'bad_request:file',
    ],
    [
      'a JSON body',
      async () => {
        const res = await fetch(`${server.url}/api/documents/import`, {
          method: 'POST',
          headers: { cookie, origin: server.url, 'content-type': 'application/json' },
          body: '{}',
        });
        return { status: res.status, body: await res.json() };
      },
      415,
      'unsupported_media_type',
    ],
    [
      'a cross-site form post',
      async () => upload(await buildDocx(para('x')), 'x.docx', {}, { origin: 'https://evil.example' }),
      403,
      'forbidden:origin',
    ],
  ];

  it.each(cases)('%s is refused with its documented error', async (_name, send, status, code) => {
    const before = await rowCounts();
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(/\w{4,}/); // a sentence in the person's language (Dutch by default)
    expect(res.body.error.message).not.toMatch(/ \/ /); // never two languages side by side
    expect(await rowCounts()).toEqual(before);
  });
});
