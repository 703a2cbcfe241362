import type { Page } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import { demoPassword, demoPeople } from '../../server/demo/seed';
import { contextFor } from '../helpers/a11y';
import { demoInBrowser } from '../helpers/demo';

/**
 * The keyboard-only paths, from page load, with every key press counted: a mayor selects a sentence and comments
 * on it, an editor replies and resolves, the chair signs off. No mouse event is sent in this file.
 */
const [anne, , chair, daan] = demoPeople as [
  (typeof demoPeople)[0],
  (typeof demoPeople)[0],
  (typeof demoPeople)[0],
  (typeof demoPeople)[0],
];
const sentence =
  'Instemmen met de memo voor de burgemeesters met mogelijke input voor de coalitieakkoorden op het gebied van de crisisbeheersing, fysieke en sociale veiligheid.';
const demo = demoInBrowser();

/** A page signed in through the sign-in page, then the memo loaded fresh: counting starts at this load. */
async function memoPage(email: string): Promise<Page> {
  const context = await contextFor(demo.browser, demo.server.url, email);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[browser ${email}] ${err.message}`));
  await page.goto(`${demo.server.url}/documents/${demo.memoId}`);
  await page.waitForSelector('.editor-shell[data-synced="true"] .ProseMirror');
  return page;
}

function keys(page: Page) {
  let count = 0;
  const press = async (key: string) => {
    count++;
    await page.keyboard.press(key);
  };
  return {
    press,
    /** Typing text: one key press per character. */
    type: async (text: string) => {
      count += text.length;
      await page.keyboard.type(text);
    },
    /** Presses Tab until the focused element matches; fails after 60. */
    tabTo: async (selector: string) => {
      for (let i = 0; i < 60; i++) {
        await press('Tab');
        if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      }
      throw new Error(`Tab never reached ${selector}`);
    },
    get count() {
      return count;
    },
  };
}

const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.tagName.toLowerCase()}#${el.id}.${[...el.classList].join('.')}` : '';
  });
/** The text of the paragraph the caret (the ProseMirror selection's head) is in. */
const caretParagraph = (page: Page) =>
  page.evaluate(() => {
    const sel = window.getSelection();
    const caret = document.querySelector('.ProseMirror .reading-caret');
    return (caret?.parentElement?.closest('p, h1, h2, h3, dd') ?? sel?.anchorNode?.parentElement)?.textContent ?? '';
  });

describe('keyboard only', () => {
  it('a mayor selects a sentence in the text (suggestion mode: the text is theirs to propose on, not to change) and comments on it', async () => {
    const page = await memoPage(daan.email);
    const k = keys(page);
    await k.press('Tab');
    expect(await focused(page)).toContain('skip-link');
    await k.press('Enter'); // the skip link jumps to the text itself
    expect(await focused(page)).toContain('#document-text');
    // A mayor types suggestions, so the text is editable for them and the browser's own caret moves through it.
    expect(await page.getAttribute('.editor-shell', 'data-suggesting')).toBe('true');
    // The browser's own caret: from the end of the text upwards to the sentence (the header's label/value grid at the
    // top does not take the native caret down into the text below it).
    await k.press('Control+End');
    const visited: string[] = [await caretParagraph(page)];
    for (let i = 0; i < 80 && visited.at(-1) !== sentence; i++) {
      await k.press('ArrowUp');
      visited.push(await caretParagraph(page));
    }
    expect(visited.at(-1), `the caret went through: ${visited.map((v) => v.slice(0, 30)).join(' | ')}`).toBe(sentence);
    // Selecting the whole sentence word by word from its end (Home/End act on visual lines, and it wraps).
    await k.press('End');
    for (let i = 0; i < 40; i++) {
      if ((await page.evaluate(() => window.getSelection()?.toString() ?? '')) === sentence) break;
      await k.press('Control+Shift+ArrowLeft');
    }
    await k.press('Control+Alt+KeyM');
    await page.waitForSelector('form.thread-new textarea:focus');
    expect(await page.locator('form.thread-new blockquote').textContent()).toBe(sentence);
    await k.type('Graag ook de GHOR noemen.');
    await k.tabTo('form.thread-new button[type="submit"]');
    await k.press('Enter');
    // The new thread's card has focus; the comment is stored on exactly that sentence.
    await page.waitForSelector('article.thread:focus');
    const threads = await demo.server.services.comments.list(await demo.userIdOf(daan.email), demo.memoId, {
      status: 'all',
      limit: 50,
    });
    const thread = threads.items.find((t) => t.quote === sentence);
    expect(thread?.comments[0]?.body).toBe('Graag ook de GHOR noemen.');
    console.log(`[keyboard] mayor: ${k.count} key presses from page load to a posted comment (25 of them typing it)`);
    await page.context().close();
  });

  it('an editor reaches that thread, replies and resolves it', async () => {
    const page = await memoPage(anne.email);
    const k = keys(page);
    await k.tabTo('article.thread');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toContain('Daan Visser');
    await k.press('Enter'); // opens the thread, the caret in its reply box
    await page.waitForSelector('article.thread-active .thread-reply textarea:focus');
    await k.type('Is toegevoegd.');
    await k.press('Tab');
    await k.press('Enter'); // Antwoorden
    await page.waitForSelector('article.thread-active li.comment:has-text("Is toegevoegd.")');
    await page.waitForSelector('article.thread-active .thread-reply textarea:focus');
    await k.tabTo('article.thread-active .thread-actions button.secondary');
    await k.press('Enter'); // Afhandelen
    await page.waitForSelector('article.thread-active[data-status="resolved"]');
    console.log(`[keyboard] editor: ${k.count} key presses from page load to a reply and a resolved thread`);
    await page.context().close();
  });

  it('the chair signs off a document that is ready', async () => {
    await demo.server.services.workflow.changeStatus(await demo.userIdOf(anne.email), demo.memoId, 'review');
    await demo.server.services.workflow.changeStatus(await demo.userIdOf(anne.email), demo.memoId, 'ready');
    const page = await memoPage(chair.email);
    const k = keys(page);
    // The text is locked: read-only for the chair too, with the reading caret to move through it by keyboard.
    expect(await page.getAttribute('#document-text', 'aria-readonly')).toBe('true');
    await k.tabTo('.workflow-actions button:not([disabled])');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Vaststellen');
    await k.press('Enter'); // opens the sign-off dialog, focus inside it
    await page.waitForSelector('dialog[open] [data-testid="signoff-open-items"]');
    if (await page.locator('dialog[open] input[type="checkbox"]').count()) {
      await k.tabTo('dialog[open] input[type="checkbox"]');
      await k.press('Space'); // signing with open items is confirmed explicitly
    }
    await k.tabTo('dialog[open] .workflow-actions button:last-child:not([disabled])');
    await k.press('Enter');
    await vi.waitFor(
      async () => {
        const doc = await demo.server.services.documents.get(await demo.userIdOf(chair.email), demo.memoId);
        expect(doc.status).toBe('signed_off');
      },
      { timeout: 10_000 },
    );
    // Focus lands on the new status, not on the page: the button pressed is gone.
    await vi.waitFor(async () => expect(await focused(page)).toContain('#document-status'), { timeout: 10_000 });
    await page.waitForSelector('#document-status:has-text("Vastgesteld")');
    console.log(`[keyboard] chair: ${k.count} key presses from page load to a signed-off document`);
    await page.context().close();
  });
});
