import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { invitations } from '../../db/schema';
import { newInvitationToken, invitationValidityMs } from '../../server/invitations/tokens';
import { demoPassword, demoPeople } from '../../server/demo/seed';
import { anchorIn } from './mail';
import { signIn } from './http';
import type { TestServer } from './server';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * A signed-in context. `bypassCSP`: the app's Content-Security-Policy admits only scripts with the per-request nonce
 * (server/http/security.ts), so axe.min.js injected with addScriptTag would be refused; bypassing the CSP in the
 * test browser only changes which scripts may load, not the page the person sees.
 */
export async function contextFor(
  browser: Browser,
  baseUrl: string,
  email: string | null,
  viewport = { width: 1366, height: 900 },
): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'nl-NL', viewport, bypassCSP: true });
  if (email) {
    const page = await context.newPage();
    await page.goto(`${baseUrl}/signin`);
    await page.fill('input[name="email"]', email);
    await page.fill('input[name="password"]', demoPassword);
    await page.click('button[type="submit"]');
    await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
    await page.close();
  }
  return context;
}

/** Runs axe-core with the WCAG 2.0/2.1 A and AA rules on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  return page.evaluate(async (tags) => {
    const result = await (
      window as unknown as {
        axe: { run: (c: Document, o: object) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  }, wcagTags);
}

export const describeViolations = (vs: AxeViolation[]) =>
  vs
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes
          .slice(0, 5)
          .map((n) => `    ${n.target.join(' ')} — ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`)
          .join('\n'),
    )
    .join('\n');

export const [anne, , chair, daan] = demoPeople as [
  (typeof demoPeople)[0],
  (typeof demoPeople)[0],
  (typeof demoPeople)[0],
  (typeof demoPeople)[0],
];

/**
 * What the pages need to exist in the demo: a comment thread by the mayor, a named version, an open invitation (its
 * token is known only here, as it would be only in the mail).
 */
export async function prepareDemoPages(server: TestServer, memoId: string, userIdOf: (e: string) => Promise<string>) {
  const daanCookie = await signIn(server.url, daan.email, demoPassword);
  const anchor = await anchorIn(server.url, memoId, daanCookie, 'Gevraagd wordt in te stemmen');
  const thread = await server.services.comments.create(await userIdOf(daan.email), memoId, {
    anchor,
    body: 'Kan de termijn korter?',
    mentions: [],
  });
  const anneId = await userIdOf(anne.email);
  const version = await server.services.versions.name(anneId, memoId, 'Eerste lezing');
  const { token, hash } = newInvitationToken();
  await server.services.db.insert(invitations).values({
    documentId: memoId,
    email: 'nieuwe.burgemeester@losser.demo',
    role: 'commenter',
    tokenHash: hash,
    invitedBy: anneId,
    sentAt: new Date(),
    expiresAt: new Date(Date.now() + invitationValidityMs),
  });
  return { threadId: thread.id, versionId: version.id, inviteToken: token };
}

/** Every page and state a person reaches, with who sees it and what to wait for before scanning. */
export function pagesToCheck(memoId: string, prepared: { versionId: string; threadId: string; inviteToken: string }) {
  const doc = `/documents/${memoId}`;
  const editorReady = '.editor-shell[data-synced="true"] .ProseMirror';
  return [
    { name: 'sign-in', email: null, path: '/signin', ready: 'form' },
    { name: 'document list', email: anne.email, path: '/', ready: 'table, h1' },
    { name: 'editor (editor)', email: anne.email, path: doc, ready: editorReady },
    { name: 'editor (commenter)', email: daan.email, path: doc, ready: editorReady },
    { name: 'editor (chair)', email: chair.email, path: doc, ready: editorReady },
    {
      name: 'comment sidebar open (commenter)',
      email: daan.email,
      path: `${doc}?thread=${prepared.threadId}`,
      ready: '.thread-active',
    },
    { name: 'versions', email: anne.email, path: `${doc}/versions`, ready: 'h1' },
    { name: 'version view', email: anne.email, path: `${doc}/versions/${prepared.versionId}`, ready: 'h1' },
    { name: 'compare', email: anne.email, path: `${doc}/compare?from=${prepared.versionId}&to=current`, ready: 'h1' },
    { name: 'logboek', email: anne.email, path: `${doc}/audit`, ready: 'h1' },
    { name: 'search', email: anne.email, path: '/search?q=regionale', ready: 'h1' },
    { name: 'settings', email: anne.email, path: '/settings', ready: 'h1' },
    { name: 'invite', email: null, path: `/invite/${prepared.inviteToken}`, ready: 'h1' },
  ] as const;
}

export async function openAndSettle(page: Page, url: string, ready: string) {
  await page.goto(url);
  await page.waitForSelector(ready);
  // Web fonts, client components and the first sync settle; axe reads the final colours.
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
  expect(page.url()).toContain(new URL(url).pathname);
}
