import type { Locator, Page } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import { colorFor } from '../../common/person-color';
import { demoPeople } from '../../server/demo/seed';
import { demoInBrowser } from '../helpers/demo';

const demo = demoInBrowser();
const [anne, bram, , mayor] = demoPeople;
const live = { timeout: 5_000 };
const sentence = 'Gevraagd wordt in te stemmen met bijgaande memo.';

/** Puts the DOM selection on `text` in the document (or the caret right after it with `collapse`), as a mouse would. */
async function select(page: Page, text: string, collapse = false) {
  await page.locator('.ProseMirror').focus();
  await page.evaluate(
    ([wanted, atEnd]) => {
      const root = document.querySelector('.ProseMirror')!;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent!.indexOf(wanted);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, atEnd ? at + wanted.length : at);
        range.setEnd(node, at + wanted.length);
        const sel = document.getSelection()!;
        sel.removeAllRanges();
        sel.addRange(range);
        return;
      }
      throw new Error(`not found: ${wanted}`);
    },
    [text, collapse] as const,
  );
  // ProseMirror reads the DOM selection on selectionchange.
  await page.waitForFunction(() => document.getSelection()?.rangeCount === 1);
}

/** The document's text with every suggested insertion left out: what the text says until someone accepts. */
const acceptedText = (page: Page, selector = '.ProseMirror') =>
  page.locator(selector).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('ins[data-suggestion-id], .collaboration-carets__caret').forEach((n) => n.remove());
    return copy.textContent;
  });

/** Text of an element without the collaboration carets (other people's names) that may sit inside it. */
const textOf = (locator: Locator) =>
  locator.evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.collaboration-carets__caret').forEach((n) => n.remove());
    return copy.textContent;
  });

const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

describe('suggestions in the browser', () => {
  it('the mayor replaces a word as a suggestion; the co-author sees it with the mayor’s name and accepts it', async () => {
    const [m, a, b] = await Promise.all([
      demo.openMemo(mayor!.email),
      demo.openMemo(anne!.email),
      demo.openMemo(bram!.email),
    ]);
    const mayorId = await demo.userIdOf(mayor!.email);
    // The mayor is always suggesting (no switch); editors get the switch, in Bewerken.
    expect(await m.locator('.editor-shell').getAttribute('data-suggesting')).toBe('true');
    expect(await m.getByRole('group', { name: 'Modus' }).count()).toBe(0);
    expect(await a.getByRole('button', { name: 'Bewerken' }).getAttribute('aria-pressed')).toBe('true');
    const before = await acceptedText(a);

    await select(m, 'handreiking');
    await m.keyboard.type('aanbod', { delay: 20 });

    // The co-author: struck through and underlined, in the mayor's colour, one suggestion id for both.
    const del = a.locator('.ProseMirror del[data-suggestion-id]');
    const ins = a.locator('.ProseMirror ins[data-suggestion-id]');
    await vi.waitFor(async () => expect(await textOf(ins)).toBe('aanbod'), live);
    expect(await textOf(del)).toBe('handreiking');
    const id = await del.getAttribute('data-suggestion-id');
    expect(await ins.getAttribute('data-suggestion-id')).toBe(id);
    expect(await del.getAttribute('data-author-id')).toBe(mayorId);
    expect(await del.evaluate((el) => getComputedStyle(el).textDecorationLine)).toContain('line-through');
    expect(await ins.evaluate((el) => getComputedStyle(el).textDecorationLine)).toContain('underline');
    expect(await del.evaluate((el) => getComputedStyle(el).color)).toBe(rgb(colorFor(mayorId)));
    // The accepted text did not change for anyone.
    expect(await acceptedText(a)).toBe(before);

    // Its card: who, from where, what changes; the co-author may accept or reject, the mayor only withdraw.
    const card = a.locator(`.suggestion-card[data-suggestion-id="${id}"]`);
    await vi.waitFor(
      async () =>
        expect(await card.locator('.suggestion-change').textContent()).toBe('vervang ‘handreiking’ door ‘aanbod’'),
      live,
    );
    expect(await card.locator('.comment-meta').textContent()).toContain('Daan Visser · Gemeente Enschede');
    const mayorCard = m.locator(`.suggestion-card[data-suggestion-id="${id}"]`);
    await mayorCard.getByRole('button', { name: 'Intrekken' }).waitFor();
    expect(await mayorCard.getByRole('button', { name: 'Accepteren' }).count()).toBe(0);

    await card.getByRole('button', { name: 'Accepteren' }).click();

    // Everyone: the replacement as plain text, no suggestion left, no card left.
    for (const page of [m, a, b]) {
      await vi.waitFor(async () => {
        expect(await page.locator('.ProseMirror p', { hasText: 'Het is bedoeld' }).innerHTML()).not.toMatch(
          /<(ins|del)\b/,
        );
        expect(await page.locator('.ProseMirror ins, .ProseMirror del').count()).toBe(0);
        expect(await acceptedText(page)).toContain('Het is bedoeld als aanbod.');
      }, live);
      expect(await acceptedText(page)).not.toContain('handreiking');
      // The cards follow the document (read at most every 200 ms).
      await vi.waitFor(async () => expect(await page.locator('.suggestion-card').count()).toBe(0), live);
    }
    await Promise.all([m, a, b].map((p) => p.context().close()));
  });

  it('a commenter cannot change the accepted text: Enter and formatting are refused, Backspace only marks', async () => {
    const [m, a] = await Promise.all([demo.openMemo(mayor!.email), demo.openMemo(anne!.email)]);
    const paragraphs = await m.locator('.ProseMirror p').count();
    const paragraph = (page: Page) => page.locator('.ProseMirror p', { hasText: 'Gevraagd wordt in te stemmen' });

    // Enter after the sentence: refused, and the page says why.
    await select(m, sentence, true);
    await m.keyboard.press('Enter');
    await m.getByTestId('suggestion-blocked').waitFor();
    expect(await m.getByTestId('suggestion-blocked').textContent()).toContain('alleen tekst toevoegen of verwijderen');
    expect(await m.locator('.ProseMirror p').count()).toBe(paragraphs);

    // Bold on a selection (the shortcut; the toolbar has no formatting while suggesting): nothing.
    await select(m, 'bijgaande');
    await m.keyboard.press('Control+b');
    expect(await paragraph(m).locator('strong').count()).toBe(0);
    expect(await m.getByRole('button', { name: 'Vet' }).isDisabled()).toBe(true);

    // Four Backspaces after "memo.": the text stays, struck through, for the editor too.
    await select(m, sentence, true);
    for (let i = 0; i < 4; i++) await m.keyboard.press('Backspace');
    for (const page of [m, a]) {
      await vi.waitFor(
        async () => expect(await textOf(paragraph(page).locator('del[data-suggestion-id]'))).toBe('emo.'),
        live,
      );
      expect(await acceptedText(page, '.ProseMirror p:has-text("Gevraagd wordt")')).toBe(sentence);
    }
    // The server kept it as a suggestion: a reload shows the same.
    await m.reload();
    await m.waitForSelector('.editor-shell[data-synced="true"] .ProseMirror');
    await vi.waitFor(
      async () => expect(await textOf(paragraph(m).locator('del[data-suggestion-id]'))).toBe('emo.'),
      live,
    );
    expect(await m.locator('.ProseMirror p').count()).toBe(paragraphs);

    // The mayor withdraws it: gone for both, the sentence as it was.
    await m.locator('.suggestion-card').getByRole('button', { name: 'Intrekken' }).click();
    for (const page of [m, a]) {
      await vi.waitFor(async () => expect(await paragraph(page).locator('del').count()).toBe(0), live);
      expect(await textOf(paragraph(page))).toBe(sentence);
    }
    await Promise.all([m, a].map((p) => p.context().close()));
  });

  it('an editor switches to Voorstellen (remembered for the document) and types a suggestion under their own name', async () => {
    const a = await demo.openMemo(anne!.email);
    const anneId = await demo.userIdOf(anne!.email);
    await a.getByRole('button', { name: 'Voorstellen' }).click();
    expect(await a.getByRole('button', { name: 'Voorstellen' }).getAttribute('aria-pressed')).toBe('true');
    await select(a, sentence, true);
    await a.keyboard.type('Graag', { delay: 20 });
    const ins = a.locator('.ProseMirror ins[data-suggestion-id]');
    await vi.waitFor(async () => expect(await textOf(ins)).toBe('Graag'), live);
    expect(await ins.getAttribute('data-author-id')).toBe(anneId);
    await a.reload();
    await a.waitForSelector('.editor-shell[data-synced="true"] .ProseMirror');
    await vi.waitFor(
      async () =>
        expect(await a.getByRole('button', { name: 'Voorstellen' }).getAttribute('aria-pressed')).toBe('true'),
      live,
    );
    // Rejecting it leaves the sentence as it was.
    await a.locator('.suggestion-card').getByRole('button', { name: 'Afwijzen' }).click();
    await vi.waitFor(async () => expect(await a.locator('.ProseMirror ins').count()).toBe(0), live);
    expect(await acceptedText(a)).toContain(sentence);
    await a.context().close();
  });
});
