import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoPassword, demoPeople } from '../../server/demo/seed';
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
