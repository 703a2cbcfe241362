import type { Page } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import { demoPeople } from '../../server/demo/seed';
import { demoInBrowser } from '../helpers/demo';

const demo = demoInBrowser();
const openMemo = (email: string) => demo.openMemo(email);

const [anne, , , mayor] = demoPeople;
const sentence = 'Gevraagd wordt in te stemmen met bijgaande memo.';
const live = { timeout: 5_000 };

/** Selects `text` inside the document as a person dragging the mouse over it would (a DOM selection). */
async function select(page: Page, text: string) {
  // The mayor's editor is editable (suggestion mode): ProseMirror reads the selection of a focused editor only.
  await page.locator('.ProseMirror').focus();
  await page.evaluate((wanted) => {
    const root = document.querySelector('.ProseMirror')!;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent!.indexOf(wanted);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      const sel = document.getSelection()!;
      sel.removeAllRanges();
      sel.addRange(range);
      return;
    }
    throw new Error(`not found: ${wanted}`);
  }, text);
}

async function comment(page: Page, text: string, body: (page: Page) => Promise<void>) {
  await select(page, text);
  const button = page.getByRole('button', { name: /Opmerking bij selectie/ });
  await vi.waitFor(async () => expect(await button.isEnabled()).toBe(true), live);
  await button.click();
  const form = page.getByRole('form', { name: /Nieuwe opmerking/ });
  await vi.waitFor(async () => expect(await form.locator('blockquote').textContent()).toBe(text), live);
  await body(page);
  await form.getByRole('button', { name: /Plaatsen/ }).click();
  await form.waitFor({ state: 'detached' });
}

describe('comments in the browser', () => {
  it('a mayor comments on a sentence; a co-author sees it live, replies and resolves; the mayor sees both', async () => {
    const [m, a] = await Promise.all([openMemo(mayor!.email), openMemo(anne!.email)]);
    await comment(m, sentence, async (page) => {
      const box = page.getByRole('combobox', { name: /Opmerking/ });
      await box.pressSequentially('Enschede wil hier graag meer over horen.\nKun je dit aanvullen, @An', { delay: 5 });
      await page.getByRole('option', { name: /Anne de Vries/ }).waitFor();
      await page.keyboard.press('Enter');
      expect(await box.inputValue()).toBe(
        'Enschede wil hier graag meer over horen.\nKun je dit aanvullen, @Anne de Vries ',
      );
    });

    // The co-author, who had the document open all along: highlight, thread and notification appear without reloading.
    const highlight = a.locator('.ProseMirror .comment-highlight');
    await vi.waitFor(async () => expect(await highlight.textContent()).toBe(sentence), live);
    const thread = a.locator('.comments-sidebar .thread[data-status="open"]').first();
    await vi.waitFor(
      async () =>
        expect(await thread.locator('.comment-body').first().textContent()).toBe(
          'Enschede wil hier graag meer over horen.\nKun je dit aanvullen, @Anne de Vries',
        ),
      live,
    );
    const threadId = await thread.getAttribute('data-thread-id');
    expect(await thread.locator('.comment-meta').first().textContent()).toContain('Daan Visser · Gemeente Enschede');
    expect(await thread.locator('.thread-quote').textContent()).toBe(sentence);
    expect(await thread.locator('.mention').textContent()).toBe('@Anne de Vries');
    await vi.waitFor(async () => expect(await a.getByTestId('notifications-unread').textContent()).toBe('1'), live);

    // Clicking the highlight opens the thread; the co-author replies and resolves.
    await highlight.click();
    await thread.getByRole('combobox', { name: /Antwoord/ }).fill('Goed punt, ik vul het aan.');
    await thread.getByRole('button', { name: /Antwoorden/ }).click();
    await vi.waitFor(
      async () => expect(await thread.locator('.comment-body').nth(1).textContent()).toBe('Goed punt, ik vul het aan.'),
      live,
    );
    await thread.getByRole('button', { name: /Afhandelen/ }).click();

    // The mayor sees the reply and the resolved state, also without reloading.
    const mine = m.locator('.comments-sidebar .thread').first();
    await vi.waitFor(async () => {
      expect(await mine.locator('.comment-body').nth(1).textContent()).toBe('Goed punt, ik vul het aan.');
      expect(await mine.getAttribute('data-status')).toBe('resolved');
    }, live);
    expect(await mine.getByTestId('thread-resolved').textContent()).toContain('Anne de Vries');

    // And the mayor still cannot change the accepted text: typing is a suggestion (suggestions.test.ts has more).
    const accepted = () =>
      m.locator('.ProseMirror').evaluate((el) => {
        const copy = el.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('ins[data-suggestion-id], .collaboration-carets__caret').forEach((n) => n.remove());
        return copy.textContent;
      });
    const before = await accepted();
    await m.locator('.ProseMirror p', { hasText: 'Gevraagd wordt' }).click();
    await m.keyboard.type('mag niet');
    await m.keyboard.press('Backspace');
    await vi.waitFor(async () => expect(await m.locator('.ProseMirror ins').textContent()).toBe('mag nie'), live);
    expect(await accepted()).toBe(before);

    // The co-author's notification links to the thread, and reading it clears the count.
    await a.getByTestId('notifications-button').click();
    await a
      .getByRole('dialog', { name: /Meldingen/ })
      .getByRole('link', { name: /Daan Visser noemde je/ })
      .click();
    await a.waitForURL((url) => url.searchParams.get('thread') === threadId);
    await a.waitForSelector(`.thread-active[data-thread-id="${threadId}"]`);
    expect(await a.getByTestId('notifications-unread').count()).toBe(0);
    await Promise.all([m.context().close(), a.context().close()]);
  });

  it('markup in a comment is shown as the text that was typed, never run', async () => {
    const [m, a] = await Promise.all([openMemo(mayor!.email), openMemo(anne!.email)]);
    const evil = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script> <b>vet</b>';
    await comment(m, 'Instemmen met de memo', async (page) => {
      await page.getByRole('combobox', { name: /Opmerking/ }).fill(evil);
    });
    const body = a.locator('.comments-sidebar .comment-body', { hasText: 'window.__xss=2' });
    await vi.waitFor(async () => expect(await body.textContent()).toBe(evil), live);
    expect(await a.locator('.comments-sidebar img, .comments-sidebar script, .comments-sidebar b').count()).toBe(0);
    expect(await a.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await Promise.all([m.context().close(), a.context().close()]);
  });
});
