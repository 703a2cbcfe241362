import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoPassword, demoPeople } from '../../server/demo/seed';
import { demoInBrowser } from '../helpers/demo';
import { signInWithPage } from '../helpers/pages';

const demo = demoInBrowser();
const editor = demoPeople.find((p) => p.role === 'editor')!;

/**
 * Words only the interface uses (never the voorstel's own text), whole words: a page in one language must show
 * none of the other language's words. The document's text is left out: a Dutch voorstel stays Dutch.
 */
const dutchWords = [
  'Mijn documenten',
  'Instellingen',
  'Afmelden',
  'Meldingen',
  'Opmerkingen',
  'Leden',
  'Exporteren',
  'Versies',
  'Logboek',
  'Behandelaar',
  'Mijn rol',
  'Zoeken',
  'verbonden',
  'Uitnodigen',
  'Nieuw document',
  'Aanmaken',
  'Sjabloon',
  'Laatst gewijzigd',
  'Opmerking bij selectie',
  'Ter bespreking aanbieden',
];
const englishWords = [
  'My documents',
  'Settings',
  'Sign out',
  'Notifications',
  'Comments',
  'Members',
  'Export',
  'Versions',
  'Audit log',
  'Editor',
  'My role',
  'Search',
  'connected',
  'Invite',
  'New document',
  'Create',
  'Template',
  'Last changed',
  'Comment on selection',
  'Send for review',
];

/** The page's visible text without the document's own text (the editor's content). */
const interfaceText = (page: Page) =>
  page.evaluate(() => {
    // innerText needs the laid-out page (it separates blocks); the editor's text is cut out of it afterwards.
    let text = document.body.innerText;
    for (const el of document.querySelectorAll<HTMLElement>('.ProseMirror')) text = text.replace(el.innerText, ' ');
    return text;
  });

const found = (text: string, words: string[]) =>
  words.filter((w) => new RegExp(`(^|[^\\p{L}])${w}($|[^\\p{L}])`, 'u').test(text));

describe('one language at a time', () => {
  it('the switch turns every word of the list and the document page into English, and back', async () => {
    const page = await demo.openMemo(editor.email);
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    const dutchDocument = await interfaceText(page);
    expect(found(dutchDocument, dutchWords).length).toBeGreaterThan(8);
    expect(found(dutchDocument, englishWords)).toEqual([]);

    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.waitForSelector('.connection-connected');
    const englishDocument = await interfaceText(page);
    expect(found(englishDocument, dutchWords)).toEqual([]);
    expect(found(englishDocument, englishWords).length).toBeGreaterThan(8);
    // The voorstel itself is not translated.
    expect(await page.locator('.ProseMirror h2').first().textContent()).toBe('Besluit');

    await page.goto(`${demo.server.url}/`);
    const englishList = await interfaceText(page);
    expect(found(englishList, dutchWords)).toEqual([]);
    expect(englishList).toContain('My documents');

    // The choice is stored on the account: a new browser (no cookie) signed in as the same person is English.
    const elsewhere = await signInWithPage(page.context().browser()!, demo.server.url, editor.email, demoPassword);
    expect(await elsewhere.getAttribute('html', 'lang')).toBe('en');
    // …and so are the API's error messages for this person.
    const refused = await elsewhere.evaluate(async () => {
      const res = await fetch('/api/documents/00000000-0000-4000-8000-000000000000');
      return (await res.json()) as { error: { message: string } };
    });
    expect(refused.error.message).toBe('Document not found.');
    await elsewhere.context().close();

    await page.getByRole('button', { name: 'Schakel naar Nederlands' }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'nl');
    const dutchList = await interfaceText(page);
    expect(found(dutchList, englishWords)).toEqual([]);
    expect(dutchList).toContain('Mijn documenten');
    await page.context().close();
  });

  it('before sign-in the switch works too, remembered in a cookie', async () => {
    const page = await demo.openMemo(editor.email);
    const context = await page.context().browser()!.newContext();
    await page.context().close();
    const signin = await context.newPage();
    await signin.goto(`${demo.server.url}/signin`);
    expect(await signin.locator('h1').textContent()).toBe('Aanmelden');
    await signin.getByRole('button', { name: 'Switch to English' }).click();
    await signin.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await signin.locator('h1').textContent()).toBe('Sign in');
    expect(found(await interfaceText(signin), ['Aanmelden', 'Wachtwoord', 'E-mailadres'])).toEqual([]);
    await signin.reload();
    expect(await signin.locator('h1').textContent()).toBe('Sign in');
    await context.close();
  });
});
