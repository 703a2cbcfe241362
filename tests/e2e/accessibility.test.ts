import type { BrowserContext } from 'playwright-core';
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
afterAll(async () => {
  console.log(`[axe] violating nodes per page: ${JSON.stringify(counts, null, 1)}`);
  for (const c of contexts.values()) await (await c).close();
});

describe('axe-core finds no WCAG 2.1 A/AA violation', () => {
  const names = pagesToCheck('x', { versionId: 'x', threadId: 'x', inviteToken: 'x' }).map((p) => p.name);
  it.each(names)('on %s', { timeout: 120_000 }, async (name) => {
    const p = pagesToCheck(demo.memoId, prepared).find((q) => q.name === name)!;
    const key = p.email ?? '';
    if (!contexts.has(key)) contexts.set(key, contextFor(demo.browser, demo.server.url, p.email));
    const page = await (await contexts.get(key)!).newPage();
    try {
      await openAndSettle(page, `${demo.server.url}${p.path}`, p.ready);
      const violations = await axeViolations(page);
      counts[name] = violations.reduce((n, v) => n + v.nodes.length, 0);
      expect(describeViolations(violations), `axe violations on ${name} (${p.path})`).toBe('');
    } finally {
      await page.close();
    }
  });
});
