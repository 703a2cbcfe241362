import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';

/** Signs in through the sign-in page in a new browser context, as a person would; returns the page. */
export async function signInWithPage(
  browser: Browser,
  baseUrl: string,
  email: string,
  password: string,
  path = '/',
): Promise<Page> {
  const context = await browser.newContext({ locale: 'nl-NL' });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[browser ${email}] ${err.message}`));
  await page.goto(`${baseUrl}${path}`);
  await page.waitForURL(/\/signin/);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
  await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
  expect(new URL(page.url()).pathname).toBe(path);
  return page;
}
