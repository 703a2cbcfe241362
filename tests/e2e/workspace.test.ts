import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoPassword, demoPeople } from '../../server/demo/seed';
import { createUser } from '../../server/users/users';
import { demoInBrowser } from '../helpers/demo';
import { signInWithPage } from '../helpers/pages';
import { launchBrowser } from '../helpers/browser';

/**
 * The workspace path of issue 16 in Chromium: the administrator (Anne) adds a mayor and creates a group on the
 * administration page, an editor who is no administrator (Bram) adds the group to the demo memo from its members
 * panel, and the new mayor finds the memo by searching a word from its body.
 */
const demo = demoInBrowser();
const admin = demoPeople.find((p) => p.isAdmin)!;
const editor = demoPeople.find((p) => p.role === 'editor' && !p.isAdmin)!;
const newMayor = { name: 'Burgemeester Oldenzaal', email: 'burgemeester@oldenzaal.demo', org: 'Gemeente Oldenzaal' };

async function signIn(email: string, password: string, path = '/'): Promise<Page> {
  const browser = await launchBrowser();
  const page = await signInWithPage(browser, demo.server.url, email, password, path);
  page.context().once('close', () => void browser.close());
  return page;
}

describe('groups in the browser', () => {
  it('an administrator creates a group, an editor adds it to the memo, a mayor from it finds the memo by search', async () => {
    // The administrator: Beheer in the header, add a person, create a group with them.
    const adminPage = await signIn(admin.email, demoPassword);
    await adminPage.click('header a[href="/admin"]');
    await adminPage.waitForURL(/\/admin$/);
    const add = adminPage.locator('form[aria-labelledby="admin-add"]');
    await add.getByLabel('Naam').fill(newMayor.name);
    await add.getByLabel('E-mailadres').fill(newMayor.email);
    await add.getByLabel('Wachtwoord (minstens 12 tekens)').fill(demoPassword);
    await add.getByLabel('Organisatie').fill(newMayor.org);
    await add.getByRole('button', { name: 'Toevoegen' }).click();
    await adminPage
      .getByRole('status')
      .filter({ hasText: `${newMayor.name} is toegevoegd.` })
      .waitFor();
    await adminPage.locator(`tr[data-person="${newMayor.email}"]`).waitFor();

    // The people table filters on the server: only the new mayor is left, and the count says so.
    const search = adminPage.getByRole('search', { name: 'Mensen zoeken' });
    await search.getByLabel('Naam, e-mailadres of organisatie').fill('oldenzaal');
    await search.getByRole('button', { name: 'Zoeken' }).click();
    await adminPage.waitForURL(/\/admin\?q=oldenzaal$/);
    await adminPage.getByRole('status').filter({ hasText: '1–1 van 1' }).waitFor();
    expect(await adminPage.locator('tr[data-person]').count()).toBe(1);
    await adminPage.locator(`tr[data-person="${newMayor.email}"]`).waitFor();

    const create = adminPage.locator('form[aria-label="Groep maken"]');
    await create.getByLabel('Naam van de groep').fill('Alle burgemeesters');
    await create.getByLabel(`${newMayor.name} · ${newMayor.org}`).check();
    await create.getByLabel('Daan Visser · Gemeente Enschede').check();
    await create.getByRole('button', { name: 'Groep maken' }).click();
    await adminPage.locator('form[data-group="Alle burgemeesters"]').waitFor();
    await adminPage.context().close();

    // The editor (no administrator): no Beheer link, /admin is not found; adds the group in the members panel.
    const editorPage = await signIn(editor.email, demoPassword, `/documents/${demo.memoId}`);
    expect(await editorPage.locator('header a[href="/admin"]').count()).toBe(0);
    const adminAttempt = await editorPage.request.get(`${demo.server.url}/admin`);
    expect(adminAttempt.status()).toBe(404);
    const addGroup = editorPage.locator('form[aria-label="Groep toevoegen"]');
    await addGroup.getByLabel('Groep').selectOption({ label: 'Alle burgemeesters (2)' });
    await addGroup.getByLabel('Rol').selectOption('commenter');
    await addGroup.getByRole('button', { name: 'Groep toevoegen' }).click();
    // The Enschede mayor was a member already: one added, one skipped.
    await addGroup
      .getByRole('status')
      .filter({ hasText: '1 persoon toegevoegd; 1 al lid of gedeactiveerd.' })
      .waitFor();
    await editorPage.locator(`li[data-member="${newMayor.email}"]`).waitFor();
    await editorPage.context().close();

    // The new mayor searches a word from the memo's body and opens it.
    const mayorPage = await signIn(newMayor.email, demoPassword);
    await mayorPage.fill('#topbar-search-q', 'handreiking');
    await mayorPage.press('#topbar-search-q', 'Enter');
    await mayorPage.waitForURL(/\/search\?q=handreiking/);
    const hit = mayorPage.locator('.search-results a', { hasText: 'Regionale input voor coalitieakkoorden' }).first();
    await hit.click();
    await mayorPage.waitForURL(new RegExp(`/documents/${demo.memoId}`));
    await mayorPage.waitForSelector('.editor-shell[data-synced="true"] .ProseMirror');
    await mayorPage.context().close();
  });
});

describe('attachments and meetings in the browser', () => {
  it('an editor attaches a PDF in the Bijlage(n) panel; a mayor downloads it as a file; an outsider gets nothing', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const editorPage = await signIn(editor.email, demoPassword, `/documents/${demo.memoId}`);
    const panel = editorPage.locator('section.attachments');
    await panel.locator('#attachment-file').setInputFiles({
      name: 'Memo coalitieakkoorden.pdf',
      mimeType: 'application/pdf',
      buffer: pdf,
    });
    await panel.getByRole('button', { name: 'Uploaden' }).click();
    const item = panel.locator('li[data-attachment="Memo coalitieakkoorden.pdf"]');
    await item.waitFor();
    const href = await item.locator('a').getAttribute('href');
    expect(href).toMatch(new RegExp(`^/api/documents/${demo.memoId}/attachments/[0-9a-f-]{36}$`));
    // A file type the server does not take (checked by content, not by name) is refused with a readable message.
    await panel.locator('#attachment-file').setInputFiles({
      name: 'echt-een-pdf.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('MZ this is an executable'),
    });
    await panel.getByRole('button', { name: 'Uploaden' }).click();
    await panel.getByRole('alert').filter({ hasText: 'PDF' }).waitFor();
    expect(await panel.locator('li[data-attachment="echt-een-pdf.pdf"]').count()).toBe(0);
    await editorPage.context().close();

    // A mayor of the memo (a commenter): the link downloads the same bytes as an attachment, never rendered inline.
    const mayor = demoPeople.find((p) => p.role === 'commenter')!;
    const mayorPage = await signIn(mayor.email, demoPassword, `/documents/${demo.memoId}`);
    const mayorItem = mayorPage.locator('section.attachments li[data-attachment="Memo coalitieakkoorden.pdf"]');
    await mayorItem.waitFor();
    expect(await mayorPage.locator('#attachment-file').count()).toBe(0); // commenters do not upload
    const [download] = await Promise.all([mayorPage.waitForEvent('download'), mayorItem.locator('a').click()]);
    expect(download.suggestedFilename()).toBe('Memo coalitieakkoorden.pdf');
    const res = await mayorPage.request.get(`${demo.server.url}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/pdf');
    expect(res.headers()['content-disposition']).toMatch(/^attachment;/);
    expect(res.headers()['x-content-type-options']).toBe('nosniff');
    expect(Buffer.from(await res.body()).equals(pdf)).toBe(true);
    await mayorPage.context().close();

    // Someone who is no member of the memo: the download is a 404, as if it did not exist.
    const outsiderEmail = 'secretaris@tubbergen.demo';
    await createUser(demo.server.services.db, {
      email: outsiderEmail,
      name: 'Secretaris Tubbergen',
      password: demoPassword,
      organisation: 'Gemeente Tubbergen',
    });
    const outsider = await signIn(outsiderEmail, demoPassword);
    expect((await outsider.request.get(`${demo.server.url}${href}`)).status()).toBe(404);
    await outsider.context().close();
  });

  it('a meeting: the memo is placed on its agenda, the date is changed on the meeting page, and DATUM follows', async () => {
    const page = await signIn(admin.email, demoPassword, '/meetings');
    const create = page.locator('form', { has: page.getByRole('heading', { name: 'Vergadering plannen' }) });
    await create.getByLabel('Bestuur').selectOption('algemeen_bestuur');
    await create.getByLabel('Datum').fill('2027-02-11');
    await create.getByLabel('Locatie').fill('Hengelo, Hazemeijerstraat');
    await create.getByRole('button', { name: 'Vergadering plannen' }).click();
    await page.waitForURL(/\/meetings\/[0-9a-f-]{36}$/);
    const place = page.locator('form[aria-labelledby="agenda-place"]');
    await place.getByLabel('Voorstel').selectOption(demo.memoId);
    await place.getByLabel('Agendapunt').fill('4');
    await place.getByRole('button', { name: 'Agenderen' }).click();
    await page.locator(`ol.agenda li[data-document-id="${demo.memoId}"]`).waitFor();

    const edit = page.locator('form', { has: page.getByRole('heading', { name: 'Vergadering wijzigen' }) });
    expect(await edit.getByLabel('Datum').inputValue()).toBe('2027-02-11');
    await edit.getByLabel('Datum').fill('2027-03-04');
    await edit.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
    await edit.getByRole('status').filter({ hasText: 'De vergadering is gewijzigd.' }).waitFor();
    await page.getByRole('heading', { level: 1, name: /4 maart 2027/ }).waitFor();

    // The memo's header shows the new date and the item number, written by the server into the live document.
    await page.goto(`${demo.server.url}/documents/${demo.memoId}`);
    const editor = page.locator('.editor-shell[data-synced="true"] .ProseMirror');
    await editor.waitFor();
    await expect.poll(() => editor.innerText(), { timeout: 15_000 }).toContain('4 maart 2027');
    await page.context().close();
  });
});
