import { afterAll, beforeAll, expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { demoPassword, demoPeople } from '../../server/demo/seed';
import { launchBrowser } from './browser';
import { signInWithPage } from './pages';
import { startTestServer, type TestServer } from './server';

/**
 * A server with the demo workspace and a Chromium, for browser tests that play the demo people on the demo memo.
 * `openMemo` signs a person in through the page in a context of their own and waits until the editor has synced.
 */
export async function startDemoInBrowser() {
  const [server, browser]: [TestServer, Browser] = await Promise.all([
    startTestServer({ seedDemo: true }),
    launchBrowser(),
  ]);
  const userIdOf = async (email: string) =>
    (await server.services.db.query.users.findFirst({ where: (u, { eq }) => eq(u.email, email) }))!.id;
  const memoId = (await server.services.documents.list(await userIdOf(demoPeople[0]!.email)))[0]!.id;
  return {
    server,
    browser,
    memoId,
    userIdOf,
    async openMemo(email: string): Promise<Page> {
      const page = await signInWithPage(browser, server.url, email, demoPassword, `/documents/${memoId}`);
      await page.waitForSelector('.editor-shell[data-synced="true"] .ProseMirror');
      return page;
    },
    async close() {
      await browser.close();
      await server.dispose();
    },
  };
}

type DemoEnv = Awaited<ReturnType<typeof startDemoInBrowser>>;

/**
 * Registers the demo server and browser for one test file (started before its tests, stopped after them); the
 * returned object reads through to them once they are up. `prepare` runs once after the start.
 */
export function demoInBrowser(prepare?: (demo: DemoEnv) => Promise<unknown>) {
  let env: DemoEnv | undefined;
  beforeAll(async () => {
    env = await startDemoInBrowser();
    await prepare?.(env);
  });
  afterAll(() => env?.close());
  const get = () => {
    if (!env) throw new Error('the demo is not started yet (use it inside a test)');
    return env;
  };
  return {
    get server() {
      return get().server;
    },
    get memoId() {
      return get().memoId;
    },
    get browser() {
      return get().browser;
    },
    openMemo: (email: string) => get().openMemo(email),
    userIdOf: (email: string) => get().userIdOf(email),
  };
}

/**
 * After a sign-off: the page says "Aldus vastgesteld" exactly once (its whole text counted, not one test id), and
 * that once is the signed-closing part inside the document's closing block.
 */
export async function expectOneSignedClosing(page: Page) {
  await page.waitForSelector('section[data-type="closing"] [data-testid="signed-closing"]', { timeout: 10_000 });
  const text = await page.locator('body').innerText();
  expect(text.match(/Aldus vastgesteld/g)?.length ?? 0).toBe(1);
  expect(await page.locator('[data-testid="signed-closing"]').count()).toBe(1);
  expect(await page.locator('[data-testid="sign-off-pending"]').count()).toBe(0);
}
