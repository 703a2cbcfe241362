import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../server/demo/seed';
import { signIn } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';

/** The demo memo's PDF export, read back with poppler: tagged, in Dutch, titled, every font embedded. */
let server: TestServer;
let cookie: string;
let memoId: string;
beforeAll(async () => {
  server = await startTestServer({ seedDemo: true });
  cookie = await signIn(server.url, 'burgemeester@enschede.demo', demoPassword);
  const mayor = await server.services.db.query.users.findFirst({
    where: (u, { eq }) => eq(u.email, 'burgemeester@enschede.demo'),
  });
  memoId = (await server.services.documents.list(mayor!.id))[0]!.id;
});
afterAll(() => server?.dispose());

async function exported(format: 'pdf' | 'html') {
  const res = await fetch(`${server.url}/api/documents/${memoId}/export?format=${format}`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe('accessible exports', () => {
  it('the PDF is tagged (Tagged: yes, a structure tree), has language nl-NL and its title, and embeds its fonts', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'stukwerk-pdf-')), 'memo.pdf');
    writeFileSync(file, await exported('pdf'));
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    console.log(`[pdfinfo]\n${info}`);
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    expect(info).toMatch(/^Title:\s+Regionale input voor coalitieakkoorden$/m);
    const structure = execFileSync('pdfinfo', ['-struct', file], { encoding: 'utf8' });
    for (const tag of ['Document', 'H1', 'H2', 'P', 'Table', 'TR', 'TH', 'TD'])
      expect(structure).toMatch(new RegExp(`^\\s*${tag}\\b`, 'm'));
    const raw = readFileSync(file).toString('latin1');
    expect(raw).toContain('/Lang (nl-NL)');
    expect(raw).toMatch(/\/DisplayDocTitle true/);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    console.log(`[pdffonts]\n${fonts}`);
    const rows = fonts.split('\n').slice(2).filter(Boolean);
    expect(rows.length).toBeGreaterThan(0);
    // Columns: name type encoding emb sub uni object ID; every font embedded.
    for (const row of rows) expect(row).toMatch(/DejaVu\S*\s.*\syes\s+yes\s+yes\s/);
  });

  it('the HTML export has lang, a title and header/main landmarks holding all of the text', async () => {
    const html = (await exported('html')).toString('utf8');
    expect(html).toMatch(/<html lang="nl">/);
    expect(html).toContain('<title>Regionale input voor coalitieakkoorden</title>');
    const body = /<body>([\s\S]*)<\/body>/.exec(html)![1]!;
    // Nothing outside the two landmarks.
    expect(
      body
        .replace(/<header>[\s\S]*<\/header>/, '')
        .replace(/<main>[\s\S]*<\/main>/, '')
        .trim(),
    ).toBe('');
  });
});
