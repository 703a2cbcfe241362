import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { demoInBrowser } from '../helpers/demo';
import {
  axeViolations,
  contextFor,
  describeViolations,
  openAndSettle,
  pagesToCheck,
  prepareDemoPages,
} from '../helpers/a11y';

/**
 * axe-core (WCAG 2.0 and 2.1, levels A and AA) on every page and state a person reaches in the demo: signed out,
 * as an editor, a mayor (commenter) and the chair, with a comment thread open. Any violation fails, printed.
 */
let prepared: Awaited<ReturnType<typeof prepareDemoPages>>;
const demo = demoInBrowser(async (d) => {
  prepared = await prepareDemoPages(d.server, d.memoId, d.userIdOf);
});
const contexts = new Map<string, Promise<BrowserContext>>();
const counts: Record<string, number> = {};
// Screenshots for people to look at (not checked by the tests): the path is printed.
const shots = path.join(os.tmpdir(), 'stukwerk-a11y');
mkdirSync(shots, { recursive: true });

/** A new page for a person at a width, in a context signed in once per person and width. */
async function pageFor(email: string | null, width: number): Promise<Page> {
  const key = `${email ?? ''}@${width}`;
  if (!contexts.has(key))
    contexts.set(key, contextFor(demo.browser, demo.server.url, email, { width, height: width > 500 ? 900 : 844 }));
  return (await contexts.get(key)!).newPage();
}
const shotName = (name: string, width: number) => path.join(shots, `${name.replace(/[^a-z0-9]+/gi, '-')}-${width}.png`);
afterAll(async () => {
  console.log(`[axe] violating nodes per page: ${JSON.stringify(counts, null, 1)}; screenshots in ${shots}`);
  for (const c of contexts.values()) await (await c).close();
});

describe('axe-core finds no WCAG 2.1 A/AA violation', () => {
  const names = pagesToCheck('x', { versionId: 'x', threadId: 'x', inviteToken: 'x' }).map((p) => p.name);
  it.each(names)('on %s', { timeout: 120_000 }, async (name) => {
    const p = pagesToCheck(demo.memoId, prepared).find((q) => q.name === name)!;
    const page = await pageFor(p.email, 1366);
    try {
      await openAndSettle(page, `${demo.server.url}${p.path}`, p.ready);
      await page.screenshot({ path: shotName(name, 1366) });
      const violations = await axeViolations(page);
      counts[name] = violations.reduce((n, v) => n + v.nodes.length, 0);
      expect(describeViolations(violations), `axe violations on ${name} (${p.path})`).toBe('');
    } finally {
      await page.close();
    }
  });
});

describe('at 390 px wide (a phone), no page scrolls sideways', () => {
  const names = pagesToCheck('x', { versionId: 'x', threadId: 'x', inviteToken: 'x' }).map((p) => p.name);
  it.each(names)('%s', { timeout: 120_000 }, async (name) => {
    const p = pagesToCheck(demo.memoId, prepared).find((q) => q.name === name)!;
    const page = await pageFor(p.email, 390);
    try {
      await openAndSettle(page, `${demo.server.url}${p.path}`, p.ready);
      await page.screenshot({ path: shotName(name, 390), fullPage: true });
      const { scrollWidth, clientWidth, wide } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
        // What sticks out, to name it when the check fails.
        wide: [...document.querySelectorAll('body *')]
          .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
          .slice(0, 5)
          .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`),
      }));
      expect(scrollWidth, `wider than the screen: ${wide.join(', ')}`).toBeLessThanOrEqual(clientWidth);
    } finally {
      await page.close();
    }
  });
});
