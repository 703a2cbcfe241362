import type { Page } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import { demoPeople } from '../../server/demo/seed';
import { demoInBrowser } from '../helpers/demo';

const demo = demoInBrowser();
const openMemo = (email: string) => demo.openMemo(email);

const [anne, bram, , mayor] = demoPeople;

/** Places the caret at the end of the paragraph containing `text` and types, key by key. */
async function typeAfter(page: Page, text: string, typed: string) {
  await page.locator('.ProseMirror p', { hasText: text }).first().click();
  await page.keyboard.press('End');
  await page.keyboard.type(typed, { delay: 15 });
}

describe('two co-authors in two browsers', () => {
  it('the demo memo opens with its full text, once, also after reloads and several first opens', async () => {
    const [a, b] = await Promise.all([openMemo(anne!.email), openMemo(bram!.email)]);
    await a.reload();
    await a.waitForSelector('.editor-shell[data-synced="true"] .ProseMirror');
    for (const page of [a, b]) {
      const text = (await page.locator('.ProseMirror').textContent()) ?? '';
      expect(text.match(/Komend voorjaar worden er na de gemeenteraadsverkiezingen/g)).toHaveLength(1);
      expect(text).toContain('Gevraagd wordt in te stemmen met bijgaande memo.');
      expect(text).toContain('Zodoende hebben we al jaren aandacht voor zowel fysieke als sociale veiligheid.');
      expect(await page.locator('.ProseMirror h2').allTextContents()).toEqual([
        'Besluit',
        'Voorstel',
        'Samenvatting',
        'Aan het algemeen bestuur',
        'Bijlage(n)',
      ]);
      expect(await page.locator('.ProseMirror [data-field="behandeld_door"]').textContent()).toBe(
        "Jacqueline aan de Stegge/Sylvia Huis in't Veld",
      );
    }
    await Promise.all([a.context().close(), b.context().close()]);
  });

  it('type at the same time, each sees the other’s text and named caret', async () => {
    const [a, b] = await Promise.all([openMemo(anne!.email), openMemo(bram!.email)]);
    await Promise.all([
      typeAfter(a, 'Gevraagd wordt in te stemmen', ' Aanvulling van Anne.'),
      typeAfter(b, 'Instemmen met de memo', ' Aanvulling van Bram.'),
    ]);
    for (const page of [a, b]) {
      await vi.waitFor(
        async () => {
          const text = (await page.locator('.ProseMirror').textContent()) ?? '';
          expect(text).toContain('Aanvulling van Anne.');
          expect(text).toContain('Aanvulling van Bram.');
        },
        { timeout: 10_000 },
      );
    }
    await vi.waitFor(
      async () => {
        expect(await a.locator('.collaboration-carets__label').allTextContents()).toContain('Bram Jansen');
        expect(await b.locator('.collaboration-carets__label').allTextContents()).toContain('Anne de Vries');
      },
      { timeout: 10_000 },
    );
    expect(await a.locator('.presence li').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('Bram Jansen')]),
    );
    expect(await a.locator('.connection').textContent()).toContain('verbonden');
    await Promise.all([a.context().close(), b.context().close()]);
  });

  it('a mayor (commenter) types in suggestion mode: what they type is a suggestion, the accepted text stays', async () => {
    const page = await openMemo(mayor!.email);
    await page.getByTestId('suggesting-note').waitFor();
    expect(await page.locator('[data-testid="readonly-banner"]').count()).toBe(0);
    const before = await page.locator('.ProseMirror').textContent();
    await page.locator('.ProseMirror p').first().click();
    await page.keyboard.type('mag niet');
    await vi.waitFor(
      async () => expect(await page.locator('.ProseMirror ins[data-suggestion-id]').textContent()).toBe('mag niet'),
      { timeout: 5_000 },
    );
    const accepted = await page.locator('.ProseMirror').evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('ins[data-suggestion-id]').forEach((ins) => ins.remove());
      return copy.textContent;
    });
    expect(accepted).toBe(before);
    await page.context().close();
  });
});
