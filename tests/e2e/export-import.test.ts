import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { documents } from '../../db/schema';
import { voorstelSections } from '../../server/content/templates';
import { demoMemo } from '../../server/demo/memo';
import { demoPassword } from '../../server/demo/seed';
import { launchBrowser } from '../helpers/browser';
import { readPdf, squash } from '../helpers/docx';
import { signIn } from '../helpers/http';
import { signInWithPage } from '../helpers/pages';
import { startTestServer, type TestServer } from '../helpers/server';
import { contentFragmentName } from '../../common/schema/fragment';

let server: TestServer;
let browser: Browser;
let memoId: string;
const memo = demoMemo();
const anne = 'anne.devries@vrtwente.demo';

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer({ seedDemo: true }), launchBrowser()]);
  const [doc] = await server.services.db.select().from(documents).where(eq(documents.title, memo.title));
  memoId = doc!.id;
});
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

describe('export and import in the browser', () => {
  it('exporting from the document page downloads a PDF of the stored document, including what was just typed', async () => {
    const page = await signInWithPage(browser, server.url, anne, demoPassword, `/documents/${memoId}`);
    await page.waitForSelector('.ProseMirror h2');
    await page.locator('.ProseMirror h2', { hasText: 'Samenvatting' }).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Getypt in de browser voor de export.');
    await vi.waitFor(
      () =>
        expect(server.collab.loadedDocument(memoId)?.ydoc.getXmlFragment(contentFragmentName).toString()).toContain(
          'Getypt in de browser',
        ),
      { timeout: 10_000 },
    );

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[data-export-format="pdf"]')]);
    expect(download.suggestedFilename()).toBe('Regionale-input-voor-coalitieakkoorden.pdf');
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const { text, pages } = readPdf(bytes);
    expect(pages).toBeGreaterThanOrEqual(2);
    const flat = squash(text);
    expect(flat).toContain('VOORSTEL');
    expect(flat).toContain(memo.title);
    expect(flat).toContain('Getypt in de browser voor de export.');
    expect(text).toMatch(/^\s*-1-\s*$/m);
    await page.context().close();
  });

  it('uploading a .docx on the document list opens the new document with its sections in the editor', async () => {
    const cookie = await signIn(server.url, anne, demoPassword);
    const docx = Buffer.from(
      await (
        await fetch(`${server.url}/api/documents/${memoId}/export?format=docx`, { headers: { cookie } })
      ).arrayBuffer(),
    );
    const page = await signInWithPage(browser, server.url, anne, demoPassword, '/');
    const form = page.locator('form[aria-label="Word-document importeren"]');
    await form.locator('input[name="file"]').setInputFiles({
      name: 'voorstel.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer: docx,
    });
    await form.locator('input[name="title"]').fill('Geïmporteerd voorstel');
    await form.locator('button[type="submit"]').click();
    await page.waitForURL((url) => /\/documents\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(memoId));
    await page.waitForSelector('.ProseMirror h2');
    expect(await page.locator('.ProseMirror h2').allTextContents()).toEqual([...voorstelSections]);
    expect(await page.locator('.ProseMirror [data-field="onderwerp"]').textContent()).toBe(memo.title);
    expect(await page.locator('h1').first().textContent()).toBe('Geïmporteerd voorstel');
    await page.context().close();
  });

  it('a file that is not a Word document shows the Dutch error on the list page and creates nothing', async () => {
    const page = await signInWithPage(browser, server.url, anne, demoPassword, '/');
    const before = (await server.services.db.select().from(documents)).length;
    const form = page.locator('form[aria-label="Word-document importeren"]');
    await form
      .locator('input[name="file"]')
      .setInputFiles({ name: 'notulen.docx', mimeType: 'application/octet-stream', buffer: Buffer.from('geen zip') });
    await form.locator('button[type="submit"]').click();
    await expect(form.locator('p.error[role="alert"]').textContent()).resolves.toContain('Dit is geen Word-document');
    expect((await server.services.db.select().from(documents)).length).toBe(before);
    await page.context().close();
  });
});
