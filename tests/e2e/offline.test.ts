import type { BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import { closeCode } from '../../common/protocol';
import { demoPassword, demoPeople } from '../../server/demo/seed';
import { fragmentText } from '../helpers/collab';
import { demoInBrowser } from '../helpers/demo';
import { apiClient, signIn } from '../helpers/http';

/**
 * Offline editing (IndexedDB), edits the server will never take, and connections the server ends for good.
 * The collaboration server is cut off per browser context with a WebSocket route: pages still load over HTTP (a
 * reopened tab needs its page), while every WebSocket to /collab is closed as soon as it opens.
 */
const demo = demoInBrowser();
const [anne, bram, , daan, eva] = demoPeople;
const live = { timeout: 15_000 };

/** Routes the page's collaboration WebSockets through a switch; the page reloads so that its socket is routed too. */
async function collabSwitch(page: Page) {
  const context = page.context();
  let blocked = false;
  const servers: WebSocketRoute[] = [];
  await context.routeWebSocket(/\/collab\//, (ws) => {
    if (blocked) return ws.close({ code: 1011, reason: 'cut off by the test' });
    servers.push(ws.connectToServer()); // passes everything through; closing either side closes the other
  });
  await page.reload();
  await page.waitForSelector('.editor-shell[data-synced="true"] .ProseMirror');
  return {
    async block() {
      blocked = true;
      await Promise.all(servers.splice(0).map((server) => server.close()));
    },
    unblock() {
      blocked = false;
    },
  };
}

/** Puts the caret at the end of the paragraph with `text` and enters `typed` as one input (one Yjs update). */
async function typeAtEnd(page: Page, text: string, typed: string) {
  await page.locator('.ProseMirror p', { hasText: text }).first().click();
  await page.keyboard.press('End');
  await page.keyboard.insertText(typed);
}

/**
 * Whether the page's IndexedDB store holds `text` in one stored update. IndexedDB writes are asynchronous: a test
 * that closes the tab right after typing would test the timing of the write, not the store.
 */
function storeHolds(page: Page, storeName: string, text: string) {
  return page.evaluate(
    async ([name, wanted]) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(name!);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      try {
        const updates = await new Promise<Uint8Array[]>((resolve, reject) => {
          const req = db.transaction('updates').objectStore('updates').getAll();
          req.onsuccess = () => resolve(req.result as Uint8Array[]);
          req.onerror = () => reject(req.error);
        });
        const needle = Array.from(new TextEncoder().encode(wanted));
        return updates.some((u) => Array.from(u).join(',').includes(needle.join(',')));
      } finally {
        db.close();
      }
    },
    [storeName, text],
  );
}

const editorText = async (page: Page) => (await page.locator('.ProseMirror').textContent()) ?? '';
const serverText = () => fragmentText(demo.server.collab.loadedDocument(demo.memoId)!.ydoc.getXmlFragment('default'));
const storeNames = (page: Page) => page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name));
const anneApi = async () => apiClient(demo.server.url, await signIn(demo.server.url, anne!.email, demoPassword));
const userId = async (email: string) =>
  (await demo.server.services.db.query.users.findFirst({ where: (u, { eq }) => eq(u.email, email) }))!.id;

/** Opens the memo in an existing (signed-in) context while the collaboration server may be out of reach. */
async function reopen(context: BrowserContext) {
  const page = await context.newPage();
  await page.goto(`${demo.server.url}/documents/${demo.memoId}`);
  await page.waitForSelector('.ProseMirror');
  return page;
}

describe('offline editing', () => {
  it('text typed offline survives closing the tab, is there on reopening while still offline, and syncs when back online', async () => {
    const page = await demo.openMemo(anne!.email);
    const context = page.context();
    const net = await collabSwitch(page);
    const other = await demo.openMemo(bram!.email);

    await net.block();
    await context.setOffline(true);
    await vi.waitFor(async () => expect(await page.locator('.connection').textContent()).toContain('offline'), live);
    await typeAtEnd(page, 'Gevraagd wordt in te stemmen', ' Offline getypt door Anne.');
    const store = `stukwerk:${await userId(anne!.email)}:${demo.memoId}`;
    await vi.waitFor(async () => expect(await storeHolds(page, store, 'Offline getypt door Anne.')).toBe(true), live);
    // The text is stored, so leaving does not ask "leave the page?" (a dialog would keep the tab open).
    await page.close({ runBeforeUnload: true });
    await vi.waitFor(() => expect(page.isClosed()).toBe(true), live);

    await context.setOffline(false); // pages load again; the collaboration server stays cut off
    const reopened = await reopen(context);
    await vi.waitFor(async () => expect(await editorText(reopened)).toContain('Offline getypt door Anne.'), live);
    expect(await reopened.locator('.editor-shell').getAttribute('data-synced')).toBe('false');
    expect(await storeNames(reopened)).toContain(store);
    expect(serverText()).not.toContain('Offline getypt door Anne.');

    net.unblock();
    await reopened.waitForSelector('.editor-shell[data-synced="true"]', live);
    await vi.waitFor(async () => expect(await editorText(other)).toContain('Offline getypt door Anne.'), live);
    expect(serverText().match(/Offline getypt door Anne\./g)).toHaveLength(1);
    expect(await reopened.locator('[data-testid="offline-discarded"]').count()).toBe(0);

    // Signing out deletes what this browser kept of Anne's documents.
    await reopened.getByRole('button', { name: /Afmelden/ }).click();
    await reopened.waitForURL(/\/signin/);
    expect((await storeNames(reopened)).filter((name) => name?.startsWith('stukwerk:'))).toEqual([]);
    await Promise.all([context.close(), other.context().close()]);
  });

  it('a commenter opening the document has nothing discarded', async () => {
    const page = await demo.openMemo(daan!.email);
    await page.reload();
    await page.waitForSelector('.editor-shell[data-synced="true"] .ProseMirror');
    await vi.waitFor(async () => expect(await page.locator('.connection').textContent()).toContain('verbonden'), live);
    expect(await page.locator('[data-testid="offline-discarded"]').count()).toBe(0);
    expect(demo.server.collab.loadedDocument(demo.memoId)!.refusedUpdates).toBe(0);
    await page.context().close();
  });

  it('someone who became a commenter while offline with unsent text is told it is discarded, and it never reaches the server', async () => {
    const page = await demo.openMemo(bram!.email);
    const context = page.context();
    const net = await collabSwitch(page);
    await net.block();
    await typeAtEnd(page, 'Gevraagd wordt in te stemmen', ' Bram offline, niet bewaard.');
    const bramId = await userId(bram!.email);
    await vi.waitFor(
      async () =>
        expect(await storeHolds(page, `stukwerk:${bramId}:${demo.memoId}`, 'Bram offline, niet bewaard.')).toBe(true),
      live,
    );
    await page.close(); // as a crash would: nothing runs on the way out

    const api = await anneApi();
    expect((await api.patch(`/api/documents/${demo.memoId}/members/${bramId}`, { role: 'commenter' })).status).toBe(
      200,
    );
    try {
      const reopened = await reopen(context);
      await vi.waitFor(async () => expect(await editorText(reopened)).toContain('Bram offline, niet bewaard.'), live);
      net.unblock();
      const notice = reopened.locator('[data-testid="offline-discarded"]');
      await vi.waitFor(
        async () =>
          // Bram is a commenter now: he may still suggest, and the message says so.
          expect(await notice.textContent()).toContain(
            'Wijzigingen in deze browser konden niet worden bewaard: je kunt deze tekst alleen met voorstellen wijzigen',
          ),
        live,
      );
      await reopened.waitForSelector('.editor-shell[data-synced="true"]', live);
      await vi.waitFor(async () => expect(await editorText(reopened)).not.toContain('Bram offline'), live);
      expect(serverText()).not.toContain('Bram offline');

      // The store was emptied: opening the document again brings back neither the text nor the message.
      await reopened.reload();
      await reopened.waitForSelector('.editor-shell[data-synced="true"] .ProseMirror', live);
      expect(await editorText(reopened)).not.toContain('Bram offline');
      expect(await reopened.locator('[data-testid="offline-discarded"]').count()).toBe(0);
      expect(serverText()).not.toContain('Bram offline');
    } finally {
      expect((await api.patch(`/api/documents/${demo.memoId}/members/${bramId}`, { role: 'editor' })).status).toBe(200);
      await context.close();
    }
  });
});

describe('connections the server ends for good', () => {
  /** The number of WebSockets a page opens from now on. */
  const countSockets = (page: Page) => {
    const opened = { count: 0 };
    page.on('websocket', () => opened.count++);
    return opened;
  };

  it('a member removed while the page is open sees why, with a link to the document list, and the page stops reconnecting', async () => {
    const page = await demo.openMemo(eva!.email);
    const sockets = countSockets(page);
    const api = await anneApi();
    const evaId = await userId(eva!.email);
    expect((await api.delete(`/api/documents/${demo.memoId}/members/${evaId}`)).status).toBe(200);
    try {
      const banner = page.locator('[data-testid="connection-ended"]');
      await vi.waitFor(async () => expect(await banner.textContent()).toContain('geen toegang meer'), live);
      expect(await banner.locator('a').getAttribute('href')).toBe('/');
      expect(await page.locator('.connection').textContent()).toContain('niet verbonden');
      // y-websocket would retry within 200 ms; a second without a new socket shows it stopped.
      await page.waitForEvent('websocket', { timeout: 1_000 }).then(
        () => expect.fail('the page reconnected after 4403'),
        () => undefined,
      );
      expect(sockets.count).toBe(0);
      expect(await page.locator('.connection').textContent()).toContain('niet verbonden');
    } finally {
      expect(
        (await api.post(`/api/documents/${demo.memoId}/members`, { email: eva!.email, role: 'commenter' })).status,
      ).toBe(201);
      await page.context().close();
    }
  });

  it('after a 4401 close the page offers to sign in again, stops editing and stops reconnecting', async () => {
    const page = await demo.openMemo(bram!.email);
    expect(await page.locator('.ProseMirror').getAttribute('contenteditable')).toBe('true');
    const sockets = countSockets(page);
    const bramId = await userId(bram!.email);
    // What the server does when it finds an account deactivated.
    for (const conn of demo.server.collab.loadedDocument(demo.memoId)!.connections) {
      if (conn.user.id === bramId) conn.close(closeCode.unauthorized, 'account deactivated');
    }
    const banner = page.locator('[data-testid="connection-ended"]');
    await vi.waitFor(async () => expect(await banner.textContent()).toContain('Je sessie is beëindigd'), live);
    expect(await banner.locator('a').getAttribute('href')).toBe(
      `/signin?callbackUrl=${encodeURIComponent(`/documents/${demo.memoId}`)}`,
    );
    expect(await page.locator('.connection').textContent()).toContain('niet verbonden');
    expect(await page.locator('.ProseMirror').getAttribute('contenteditable')).toBe('false');
    await page.waitForEvent('websocket', { timeout: 1_000 }).then(
      () => expect.fail('the page reconnected after 4401'),
      () => undefined,
    );
    expect(sockets.count).toBe(0);
    await page.context().close();
  });

  it('when the session ended elsewhere (the upgrade is refused with HTTP 401), the page says so instead of reconnecting forever', async () => {
    const page = await demo.openMemo(anne!.email);
    await page.context().clearCookies();
    const anneId = await userId(anne!.email);
    // A restart of the server drops the connection; the reconnect then meets a missing session.
    for (const conn of demo.server.collab.loadedDocument(demo.memoId)!.connections) {
      if (conn.user.id === anneId) conn.close(1012, 'service restart');
    }
    const banner = page.locator('[data-testid="connection-ended"]');
    await vi.waitFor(async () => expect(await banner.textContent()).toContain('Je sessie is beëindigd'), live);
    expect(await page.locator('.connection').textContent()).toContain('niet verbonden');
    await page.context().close();
  });
});
