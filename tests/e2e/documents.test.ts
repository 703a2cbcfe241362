import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser';
import { signInWithPage } from '../helpers/pages';
import { makeUser, startTestServer, testPassword, type TestServer } from '../helpers/server';

let server: TestServer;
let browser: Browser;
beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

describe('in the browser', () => {
  it('a person signs in through the page, creates a voorstel, and finds it in their list', async () => {
    const user = await makeUser(server, 'Anne', 'Veiligheidsregio Twente');
    const page = await signInWithPage(browser, server.url, user.email, testPassword);
    await expect(page.locator('h1').first().textContent()).resolves.toContain('Mijn documenten');
    await page.fill('input[name="title"]', 'Voorstel brandweerkazerne Hengelo');
    await page.selectOption('select[name="template"]', 'voorstel');
    await page.click('form[aria-label="Nieuw document"] button[type="submit"]');
    await page.waitForURL(/\/documents\/[0-9a-f-]{36}$/);
    // The editor shows the template from the server: metadata header and sections.
    await page.waitForSelector('.ProseMirror h2');
    const headings = await page.locator('.ProseMirror h2').allTextContents();
    expect(headings).toEqual(['Besluit', 'Voorstel', 'Samenvatting', 'Aan het algemeen bestuur', 'Bijlage(n)']);
    await expect(page.locator('.ProseMirror [data-field="onderwerp"]').textContent()).resolves.toBe(
      'Voorstel brandweerkazerne Hengelo',
    );
    await page.goto(server.url + '/');
    const row = page.locator('table.documents tbody tr', { hasText: 'Voorstel brandweerkazerne Hengelo' });
    await expect(row.locator('td').nth(1).textContent()).resolves.toContain('Concept');
    await expect(row.locator('td').nth(2).textContent()).resolves.toContain('Behandelaar');
    await page.context().close();
  });

  it('a wrong password shows a Dutch error on the sign-in page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/signin`);
    await page.fill('input[name="email"]', 'niemand@example.nl');
    await page.fill('input[name="password"]', 'helemaal verkeerd');
    await page.click('button[type="submit"]');
    const alert = await page.waitForSelector('p.error[role="alert"]');
    expect(await alert.textContent()).toContain('E-mailadres of wachtwoord onjuist');
    expect(new URL(page.url()).pathname).toBe('/signin');
    await context.close();
  });
});
