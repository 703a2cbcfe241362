import type { Page } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import { demoPeople } from '../../server/demo/seed';
import { demoInBrowser } from '../helpers/demo';
import { contentFragmentName } from '../../common/schema/fragment';

const [anne, bram, chair] = demoPeople;

const demo = demoInBrowser(async (d) =>
  d.server.services.workflow.changeStatus(await d.userIdOf(anne!.email), d.memoId, 'review'),
);
const openMemo = (email: string) => demo.openMemo(email);

describe('an editor locks the text (ready) while two co-authors type, then the chair signs off', () => {
  it('their editors turn read-only with the banner at once, and the signed closing line appears', async () => {
    const [a, b, c] = await Promise.all([openMemo(anne!.email), openMemo(bram!.email), openMemo(chair!.email)]);
    await a.locator('.ProseMirror p', { hasText: 'Gevraagd wordt in te stemmen' }).click();
    await b.locator('.ProseMirror p', { hasText: 'Instemmen met de memo' }).click();
    let typing = true;
    const type = async (page: Page, word: string) => {
      for (let i = 0; typing && i < 200; i++) await page.keyboard.type(` ${word}${i}`, { delay: 10 });
    };
    const typists = Promise.all([type(a, 'anne'), type(b, 'bram')]);
    typists.catch(() => {}); // a page closed by a failing assertion ends its typist
    await vi.waitFor(
      async () => {
        const text = await c.locator('.ProseMirror').textContent();
        expect(text).toContain(' anne3');
        expect(text).toContain(' bram3');
      },
      { timeout: 15_000 },
    );

    // An editor locks the text while both still type: every editor turns read-only at once; then the chair signs.
    await demo.server.services.workflow.changeStatus(await demo.userIdOf(anne!.email), demo.memoId, 'ready');
    for (const page of [a, b]) {
      await page.waitForSelector('[data-testid="readonly-banner"]:has-text("Ter vaststelling")', { timeout: 5_000 });
      expect(await page.locator('.ProseMirror').getAttribute('contenteditable')).toBe('false');
    }
    await c.reload();
    // The sign-off dialog (components/rounds/SignOffDialog.tsx) lists what is open; the chair confirms there.
    await c.getByRole('button', { name: 'Vaststellen', exact: true }).click();
    const dialog = c.locator('dialog[data-testid="signoff-dialog"]');
    await dialog.getByTestId('signoff-open-items').waitFor();
    const acknowledge = dialog.getByLabel(/Ik stel vast ondanks/);
    if (await acknowledge.count()) await acknowledge.check();
    await dialog.getByRole('button', { name: 'Vaststellen' }).click();
    for (const page of [a, b]) {
      await page.waitForSelector('[data-testid="readonly-banner"]:has-text("Vastgesteld")', { timeout: 5_000 });
      expect(await page.locator('.ProseMirror').getAttribute('contenteditable')).toBe('false');
      await page.waitForSelector(
        '[data-testid="signed-closing"]:has-text("Aldus vastgesteld in de vergadering van het algemeen bestuur d.d.")',
      );
      expect(await page.locator('[data-testid="signed-closing"]').textContent()).toContain('Carla Mulder');
    }
    typing = false;
    await typists;
    await c.waitForSelector('[data-testid="signed-closing"]');
    // What the chair signed is what everyone now sees: the stored hash matches every browser's text.
    const live = demo.server.collab.loadedDocument(demo.memoId)!;
    const frozen = live.ydoc.getXmlFragment(contentFragmentName).toString();
    await new Promise((r) => setTimeout(r, 300));
    expect(live.ydoc.getXmlFragment(contentFragmentName).toString()).toBe(frozen);
    // Each co-author's editor starts over from the frozen state: nobody keeps seeing refused keystrokes.
    await vi.waitFor(
      async () => {
        const texts = await Promise.all([a, b, c].map((p) => p.locator('.ProseMirror').textContent()));
        expect(texts[0]).toBe(texts[2]);
        expect(texts[1]).toBe(texts[2]);
      },
      { timeout: 10_000 },
    );
    await Promise.all([a, b, c].map((p) => p.context().close()));
  });
});
