import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentAttachments, documentMembers, documentVersions } from '../../db/schema';
import { documentHash, signedHash } from '../../server/versions/canonical';
import { buildDocx, para, readPdf, squash } from '../helpers/docx';
import { apiClient, signIn } from '../helpers/http';
import { startS3 } from '../helpers/s3';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';

/** Bijlagen: upload and download by role, type by content, size cap, headers, frozen with the text, signed, exported, S3. */
type Person = { id: string; email: string; cookie: string; api: ReturnType<typeof apiClient> };
let server: TestServer;
const p = {} as Record<'editor' | 'commenter' | 'viewer' | 'chair' | 'outsider', Person>;

beforeAll(async () => {
  server = await startTestServer();
  for (const role of ['editor', 'commenter', 'viewer', 'chair', 'outsider'] as const) {
    const user = await makeUser(server, role);
    const cookie = await signIn(server.url, user.email);
    p[role] = { id: user.id, email: user.email, cookie, api: apiClient(server.url, cookie) };
  }
});
afterAll(() => server?.dispose());

async function newDocument(s: TestServer = server, editor: Person = p.editor) {
  const res = await editor.api.post('/api/documents', { title: 'Voorstel met bijlagen' });
  expect(res.status).toBe(201);
  const id = res.body.id as string;
  await s.services.db
    .insert(documentMembers)
    .values((['commenter', 'viewer', 'chair'] as const).map((role) => ({ documentId: id, userId: p[role].id, role })));
  return id;
}

/** Sends the file itself as the body, as the browser's panel does. */
async function upload(who: Person, id: string, name: string, bytes: Uint8Array | Buffer, base = server.url) {
  const res = await fetch(`${base}/api/documents/${id}/attachments?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { cookie: who.cookie, origin: base, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

/** Sends headers declaring `size` bytes and only the first part of the body, then waits for the answer. */
function declaredUpload(who: Person, id: string, size: number, head: Buffer) {
  return new Promise<{ status: number; code: string }>((resolve, reject) => {
    const req = request(`${server.url}/api/documents/${id}/attachments?name=groot.pdf`, {
      method: 'POST',
      agent: false,
      headers: {
        cookie: who.cookie,
        origin: server.url,
        'content-type': 'application/octet-stream',
        'content-length': String(size),
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, code: JSON.parse(text).error.code as string });
        req.destroy();
      });
    });
    req.on('error', reject);
    req.write(head);
  });
}

/**
 * Sends `total` bytes without a Content-Length (chunked), 1 MiB at a time, on a connection of its own (a refused
 * upload may end in a reset, which must not reach other requests' pooled connections), until the server answers.
 */
function chunkedUpload(who: Person, id: string, total: number, head: Buffer) {
  return new Promise<{ status: number; code: string }>((resolve) => {
    let answered = false;
    const req = request(`${server.url}/api/documents/${id}/attachments?name=stroom.pdf`, {
      method: 'POST',
      agent: false,
      headers: { cookie: who.cookie, origin: server.url, 'content-type': 'application/octet-stream' },
    });
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, code: JSON.parse(text).error.code as string });
        req.destroy();
      });
    });
    // The server may end the connection before the client finished sending: a reset instead of the answer.
    req.on('error', () => {
      if (!answered) resolve({ status: 0, code: 'connection_reset' });
    });
    let sent = 0;
    const pump = () => {
      while (!answered && !req.destroyed && sent < total) {
        const chunk = sent === 0 ? head : Buffer.alloc(1024 * 1024);
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered && !req.destroyed) req.end();
    };
    pump();
  });
}

const download = (who: Person, id: string, attachmentId: string, base = server.url) =>
  fetch(`${base}/api/documents/${id}/attachments/${attachmentId}`, { headers: { cookie: who.cookie } });

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const png = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000200a2d2e3f40000000049454e44ae426082',
  'hex',
);
const jpeg = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  Buffer.from('JFIF stukwerk test'),
  Buffer.from([0xff, 0xd9]),
]);

async function xlsx() {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
  );
  zip.file('xl/workbook.xml', '<workbook/>');
  return zip.generateAsync({ type: 'nodebuffer' });
}
async function odt() {
  const zip = new JSZip();
  zip.file('mimetype', 'application/vnd.oasis.opendocument.text', { compression: 'STORE' });
  zip.file('content.xml', '<office:document-content/>');
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

describe('upload and download by role', () => {
  it('an editor uploads; every member downloads it with attachment headers; others get 403 (upload) or 404', async () => {
    const id = await newDocument();
    const res = await upload(p.editor, id, 'Memo VRT.pdf', pdf);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Memo VRT.pdf',
      contentType: 'application/pdf',
      size: pdf.length,
      sha256: sha(pdf),
      uploadedBy: { id: p.editor.id },
    });
    for (const role of ['commenter', 'viewer', 'chair'] as const) {
      const refused = await upload(p[role], id, 'x.pdf', pdf);
      expect(refused.status).toBe(403);
    }
    expect((await upload(p.outsider, id, 'x.pdf', pdf)).status).toBe(404);

    for (const role of ['editor', 'commenter', 'viewer', 'chair'] as const) {
      const got = await download(p[role], id, res.body.id);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe('application/pdf');
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      expect(got.headers.get('content-disposition')).toBe(
        `attachment; filename="Memo VRT.pdf"; filename*=UTF-8''Memo%20VRT.pdf`,
      );
      expect(Buffer.from(await got.arrayBuffer()).equals(pdf)).toBe(true);
    }
    const outsider = await download(p.outsider, id, res.body.id);
    expect(outsider.status).toBe(404);
    expect((await outsider.json()).error.code).toBe('not_found:document');
    expect((await download(p.viewer, id, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await fetch(`${server.url}/api/documents/${id}/attachments/${res.body.id}`)).status).toBe(401);

    const listed = await p.viewer.api.get(`/api/documents/${id}/attachments`);
    expect(listed.body.attachments).toEqual([
      expect.objectContaining({ id: res.body.id, name: 'Memo VRT.pdf', size: pdf.length }),
    ]);
    expect((await p.outsider.api.get(`/api/documents/${id}/attachments`)).status).toBe(404);

    // Removal: editors only; audited.
    expect((await p.commenter.api.delete(`/api/documents/${id}/attachments/${res.body.id}`)).status).toBe(403);
    expect((await p.editor.api.delete(`/api/documents/${id}/attachments/${res.body.id}`)).status).toBe(200);
    expect((await download(p.viewer, id, res.body.id)).status).toBe(404);
    const audit = (await p.viewer.api.get(`/api/documents/${id}/audit`)).body.events.map(
      (e: { action: string }) => e.action,
    );
    expect(audit).toEqual(expect.arrayContaining(['attachment.added', 'attachment.removed']));
  });

  it('a hostile file name is stored without directories, quotes or control characters, and sent back safely', async () => {
    const id = await newDocument();
    const res = await upload(p.editor, id, '../../etc/"besluit"\u202e\r\n.pdf', pdf);
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('besluit.pdf');
    const got = await download(p.viewer, id, res.body.id);
    expect(got.headers.get('content-disposition')).toBe(
      `attachment; filename="besluit.pdf"; filename*=UTF-8''besluit.pdf`,
    );
    const accented = await upload(p.editor, id, 'Begroting één.pdf', pdf);
    const header = (await download(p.viewer, id, accented.body.id)).headers.get('content-disposition');
    expect(header).toBe(`attachment; filename="Begroting __n.pdf"; filename*=UTF-8''Begroting%20%C3%A9%C3%A9n.pdf`);
  });
});

describe('the document page', () => {
  it('shows the Bijlage(n) panel with each file as a download link; the upload form only to editors', async () => {
    const id = await newDocument();
    const res = await upload(p.editor, id, 'Memo <script>x.pdf', pdf);
    const page = async (who: Person) =>
      (await fetch(`${server.url}/documents/${id}`, { headers: { cookie: who.cookie } })).text();
    const asViewer = await page(p.viewer);
    expect(asViewer).toContain('Bijlage(n)');
    expect(asViewer).toContain(`href="/api/documents/${id}/attachments/${res.body.id}"`);
    expect(asViewer).toContain('Memo &lt;script&gt;x.pdf');
    expect(asViewer).not.toContain('<script>x');
    expect(asViewer).not.toContain('id="attachment-file"');
    const asEditor = await page(p.editor);
    expect(asEditor).toContain('<label for="attachment-file">Bestand toevoegen</label>');
    expect(asEditor).toContain(`aria-label="Bijlage Memo &lt;script&gt;x.pdf verwijderen"`);
  });
});

describe('type by content', () => {
  it('accepts PDF, PNG, JPEG, DOCX, XLSX and ODT by their bytes, whatever their names', async () => {
    const id = await newDocument();
    const docx = await buildDocx(para('Bijlage bij het voorstel'));
    const cases: [string, Buffer, string][] = [
      ['scan.bin', png, 'image/png'],
      ['foto', jpeg, 'image/jpeg'],
      ['notitie.pdf', docx, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['begroting.xlsx', await xlsx(), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['tekst.odt', await odt(), 'application/vnd.oasis.opendocument.text'],
    ];
    for (const [name, bytes, type] of cases) {
      const res = await upload(p.editor, id, name, bytes);
      expect(res.status, name).toBe(201);
      expect(res.body.contentType).toBe(type);
      const got = await download(p.viewer, id, res.body.id);
      expect(got.headers.get('content-type')).toBe(type);
    }
    // The extension follows the content: a Word file called .pdf is downloaded as .docx.
    const names = (await p.viewer.api.get(`/api/documents/${id}/attachments`)).body.attachments.map(
      (a: { name: string }) => a.name,
    );
    expect(names).toEqual(['scan.png', 'foto.jpg', 'notitie.docx', 'begroting.xlsx', 'tekst.odt']);
  });

  it('refuses with 415 what is not one of those types, whatever it is called, and stores nothing', async () => {
    const id = await newDocument();
    const plainZip = await new JSZip().file('readme.txt', 'hallo').generateAsync({ type: 'nodebuffer' });
    for (const [name, bytes] of [
      ['rapport.pdf', Buffer.from('<html><script>alert(1)</script></html>')],
      ['archief.docx', plainZip],
      ['script.png', Buffer.from('#!/bin/sh\necho pdf')],
    ] as const) {
      const res = await upload(p.editor, id, name, bytes);
      expect(res.status, name).toBe(415);
      expect(res.body.error.code).toBe('unsupported_media_type:attachment');
    }
    const rows = await server.services.db
      .select()
      .from(documentAttachments)
      .where(eq(documentAttachments.documentId, id));
    expect(rows).toEqual([]);
    expect(readdirSync(path.join(server.config.dataDir, 'files', 'tmp'))).toEqual([]);
  });

  it('refuses a file over 25 MB with 413 while it streams, and keeps no part of it', async () => {
    const id = await newDocument();
    // Exactly at the limit is accepted: the largest upload tried (first: a refused upload may leave the client's
    // connection reset).
    const limit = Buffer.concat([pdf, Buffer.alloc(25 * 1024 * 1024 - pdf.length, 0x20)]);
    const ok = await upload(p.editor, id, 'precies 25 MB.pdf', limit);
    expect(ok.status).toBe(201);
    expect(ok.body.size).toBe(25 * 1024 * 1024);
    // A declared size over the cap is refused from the headers alone: the answer comes before the body is sent.
    const declared = await declaredUpload(p.editor, id, 25 * 1024 * 1024 + 1, pdf);
    expect(declared).toEqual({ status: 413, code: 'too_large:attachment' });
    // Without a Content-Length (chunked), the cap holds while the bytes arrive.
    const chunked = await chunkedUpload(p.editor, id, 26 * 1024 * 1024, pdf);
    // Either the 413 answer arrived, or the connection was reset after it; never a 201. The rows below show that
    // nothing was kept.
    expect([
      { status: 413, code: 'too_large:attachment' },
      { status: 0, code: 'connection_reset' },
    ]).toContainEqual(chunked);
    const rows = await server.services.db
      .select()
      .from(documentAttachments)
      .where(eq(documentAttachments.documentId, id));
    expect(rows.map((r) => r.name)).toEqual(['precies 25 MB.pdf']);
    expect(readdirSync(path.join(server.config.dataDir, 'files', 'tmp'))).toEqual([]);
  });
});

describe('frozen with the text, signed and exported', () => {
  it('from ready on, upload and removal are 409; the signed hash covers the list, and recomputes from storage', async () => {
    const id = await newDocument();
    const first = await upload(p.editor, id, 'Memo.pdf', pdf);
    const second = await upload(p.editor, id, 'Kaart.png', png);
    expect((await p.editor.api.post(`/api/documents/${id}/status`, { status: 'review' })).status).toBe(200);
    expect((await p.editor.api.post(`/api/documents/${id}/status`, { status: 'ready' })).status).toBe(200);
    const frozen = await upload(p.editor, id, 'Te laat.pdf', pdf);
    expect(frozen.status).toBe(409);
    expect(frozen.body.error.code).toBe('conflict:attachments_frozen');
    expect((await p.editor.api.delete(`/api/documents/${id}/attachments/${first.body.id}`)).body.error.code).toBe(
      'conflict:attachments_frozen',
    );

    const signed = await p.chair.api.post(`/api/documents/${id}/sign-off`);
    expect(signed.status).toBe(200);
    const [version] = await server.services.db
      .select()
      .from(documentVersions)
      .where(eq(documentVersions.id, signed.body.versionId));
    const manifest = [
      { name: 'Memo.pdf', size: pdf.length, sha256: sha(pdf) },
      { name: 'Kaart.png', size: png.length, sha256: sha(png) },
    ];
    expect(version!.attachments).toEqual(manifest);
    expect(signed.body.sha256).toBe(signedHash(version!.json, manifest));
    expect(signed.body.sha256).not.toBe(documentHash(version!.json));
    expect((await upload(p.editor, id, 'Na vaststelling.pdf', pdf)).status).toBe(409);

    const check = await server.services.attachments.verifyVersion(p.viewer.id, id, signed.body.versionId);
    expect(check).toMatchObject({ matches: true, sha256: signed.body.sha256, recomputed: signed.body.sha256 });

    // Every export lists name, size and SHA-256 under Bijlage(n).
    const md = (await p.viewer.api.get(`/api/documents/${id}/export?format=md`)).text;
    const html = (await p.viewer.api.get(`/api/documents/${id}/export?format=html`)).text;
    const pdfText = squash(
      readPdf(
        new Uint8Array(
          await (
            await fetch(`${server.url}/api/documents/${id}/export?format=pdf`, { headers: { cookie: p.viewer.cookie } })
          ).arrayBuffer(),
        ),
      ).text,
    );
    const docxBytes = await (
      await fetch(`${server.url}/api/documents/${id}/export?format=docx`, { headers: { cookie: p.viewer.cookie } })
    ).arrayBuffer();
    const docxText = squash(
      (await (await JSZip.loadAsync(docxBytes)).file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, ''),
    );
    for (const [format, text] of [
      ['md', md],
      ['html', html],
      ['pdf', pdfText],
      ['docx', docxText],
    ] as const) {
      for (const entry of manifest) {
        expect(text, format).toContain(entry.name);
        expect(text.replace(/\s/g, ''), format).toContain(entry.sha256);
      }
      expect(text, format).toMatch(/Bijlage\(n\)/);
    }
    expect(md).toContain(`Memo.pdf (${pdf.length} bytes)`);

    // A file changed in storage no longer matches the signed version.
    const stored = path.join(server.config.dataDir, 'files', sha(png).slice(0, 2), sha(png).slice(2, 4), sha(png));
    writeFileSync(stored, Buffer.concat([png, Buffer.from('x')]));
    const tampered = await server.services.attachments.verifyVersion(p.viewer.id, id, signed.body.versionId);
    expect(tampered.matches).toBe(false);
    expect(tampered.attachments.find((a) => a.name === 'Kaart.png')).toMatchObject({ intact: false });
  });
});

describe('S3-compatible storage', () => {
  it('with S3_URL the files live in the bucket (an emulator, s3rver) and round-trip through upload, download and sign-off', async () => {
    const s3 = await startS3();
    const other = await startTestServer({ s3Url: s3.url });
    try {
      const editor = await makeUser(other, 'S3 editor');
      const viewer = await makeUser(other, 'S3 viewer');
      const chair = await makeUser(other, 'S3 chair');
      const cookie = await signIn(other.url, editor.email);
      const e: Person = { id: editor.id, email: editor.email, cookie, api: apiClient(other.url, cookie) };
      const vCookie = await signIn(other.url, viewer.email);
      const v: Person = { id: viewer.id, email: viewer.email, cookie: vCookie, api: apiClient(other.url, vCookie) };
      const cCookie = await signIn(other.url, chair.email);
      const c: Person = { id: chair.id, email: chair.email, cookie: cCookie, api: apiClient(other.url, cCookie) };
      const created = await e.api.post('/api/documents', { title: 'In de emmer' });
      const id = created.body.id as string;
      await other.services.db.insert(documentMembers).values([
        { documentId: id, userId: v.id, role: 'viewer' },
        { documentId: id, userId: c.id, role: 'chair' },
      ]);
      const docx = await buildDocx(para('Bijlage in S3'));
      const res = await upload(e, id, 'Notitie.docx', docx, other.url);
      expect(res.status).toBe(201);
      expect(other.services.files.kind).toBe('s3');
      // Nothing under DATA_DIR/files but the (empty) staging directory.
      expect(readdirSync(path.join(other.config.dataDir, 'files'))).toEqual(['tmp']);
      const got = await download(v, id, res.body.id, other.url);
      expect(got.status).toBe(200);
      expect(Buffer.from(await got.arrayBuffer()).equals(docx)).toBe(true);
      const stored = await other.services.files.get(sha(docx));
      expect(stored?.size).toBe(docx.length);

      expect((await e.api.post(`/api/documents/${id}/status`, { status: 'review' })).status).toBe(200);
      expect((await e.api.post(`/api/documents/${id}/status`, { status: 'ready' })).status).toBe(200);
      const signed = await c.api.post(`/api/documents/${id}/sign-off`);
      expect(signed.status).toBe(200);
      const check = await other.services.attachments.verifyVersion(v.id, id, signed.body.versionId);
      expect(check.matches).toBe(true);
    } finally {
      await other.dispose();
      await s3.close();
    }
  });
});
