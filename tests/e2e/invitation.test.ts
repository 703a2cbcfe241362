import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser';
import { apiClient, signIn } from '../helpers/http';
import { mailMatching } from '../helpers/mail';
import { signInWithPage } from '../helpers/pages';
import { makeUser, startTestServer, testPassword, type TestServer } from '../helpers/server';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';

/** A new mayor, invited from the members panel, follows the link in the received mail and lands in the document. */
let server: TestServer;
let smtp: TestSmtpServer;
let browser: Browser;
beforeAll(async () => {
  smtp = await startSmtpServer();
  [server, browser] = await Promise.all([
    startTestServer({ mail: { smtpUrl: smtp.url, pollMs: 50 } }),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
  await smtp?.stop();
});

describe('an invitation in the browser', () => {
  it('is sent from the members panel, shown as pending, and its mailed link creates the account and opens the document', async () => {
    const editor = await makeUser(server, 'Anne de Vries', 'Veiligheidsregio Twente');
    const { body: doc } = await apiClient(server.url, await signIn(server.url, editor.email)).post('/api/documents', {
      title: 'Regionale input coalitieakkoorden',
      template: 'voorstel',
    });
    const address = `burgemeester.${Date.now()}@losser.nl`;

    const editorPage = await signInWithPage(browser, server.url, editor.email, testPassword, `/documents/${doc.id}`);
    await editorPage.waitForSelector('.ProseMirror');
    await editorPage.fill('form[aria-label="Lid uitnodigen"] input[name="email"]', address);
    await editorPage.selectOption('form[aria-label="Lid uitnodigen"] select[name="role"]', 'commenter');
    await editorPage.click('form[aria-label="Lid uitnodigen"] button[type="submit"]');
    await editorPage.waitForSelector(`[data-invitation="${address}"]`);
    expect(await editorPage.locator('section[aria-label="Leden"] [role="status"]').first().textContent()).toContain(
      'krijgt een uitnodiging per e-mail',
    );

    const mail = await mailMatching(smtp, (m) => m.to.includes(address));
    const link = /(http:\/\/\S+\/invite\/[A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;

    // What the mail looks like, rendered by the same browser (the PNG is for people; the test checks the text).
    const preview = await browser.newPage({ viewport: { width: 680, height: 560 } });
    await preview.setContent(mail.html);
    const png = path.join(os.tmpdir(), 'stukwerk-invitation-mail.png');
    await preview.screenshot({ path: png, fullPage: true });
    expect(await preview.locator('a', { hasText: 'Uitnodiging aannemen' }).getAttribute('href')).toBe(link);
    await preview.close();
    console.log(`[mail] invitation mail rendered to ${png}`);

    const guest = await browser.newContext();
    const page = await guest.newPage();
    await page.goto(link);
    expect(await page.locator('[data-testid="invitation"]').textContent()).toMatch(
      /Anne de Vries nodigt je uit voor het document Regionale input coalitieakkoorden als Commentaar/,
    );
    await page.fill('input[name="name"]', 'Burgemeester van Losser');
    await page.fill('input[name="password"]', 'kort');
    await page.click('button[type="submit"]');
    // The browser's own check (minlength) holds the form back; the server checks again.
    expect(await page.locator('input[name="password"]').evaluate((el: HTMLInputElement) => el.validity.tooShort)).toBe(
      true,
    );
    expect(new URL(page.url()).pathname).toBe(new URL(link).pathname);
    await page.fill('input[name="password"]', 'een wachtwoord van Losser');
    await page.click('button[type="submit"]');
    await page.waitForURL(`${server.url}/documents/${doc.id}`);
    await page.waitForSelector('.ProseMirror');
    expect(await page.locator('.topbar-user').textContent()).toContain('Burgemeester van Losser');

    // The same link again: a clear Dutch page, no second account.
    const again = await guest.newPage();
    await again.goto(link);
    expect(await again.locator('h1').textContent()).toBe('Deze uitnodiging is al gebruikt');

    await editorPage.reload();
    await editorPage.waitForSelector(`[data-member="${address}"]`);
    expect(await editorPage.locator(`[data-invitation="${address}"]`).count()).toBe(0);
    await guest.close();
    await editorPage.context().close();
  });
});
