import { IndexeddbPersistence } from 'y-indexeddb';
import type * as Y from 'yjs';

/**
 * The copy of a document kept in the browser's IndexedDB, so that text typed while the server is out of reach
 * survives a reload, a closed tab or a crash, and syncs when the connection returns.
 *
 * Why merging it is safe: a store is only ever filled from one Y.Doc that starts empty and receives the server's
 * state plus this person's own edits; it never holds content made up by the client (no template, no import). So what
 * it adds on the next open is exactly this person's unsent edits, which the server takes from an editor and refuses
 * from everyone else (then `discard`). The key holds the user, so two people on one computer never share a store.
 */
const prefix = 'stukwerk:';
/** Dispatched on `window` at sign-out: open stores close, or the deletion of their databases would wait for them. */
const signOutEvent = 'stukwerk:sign-out';
/** How long sign-out waits for the stores to be deleted (another tab holding one open blocks its deletion). */
const clearTimeoutMs = 3_000;

/** Ids are compared in their canonical lower-case form everywhere; a store key is no exception. */
export const offlineStoreName = (userId: string, documentId: string) =>
  `${prefix}${userId.toLowerCase()}:${documentId.toLowerCase()}`;

export interface OfflineStore {
  readonly persistence: IndexeddbPersistence;
  /** Forgets the stored copy for good; the Y.Doc it was attached to keeps what it has in memory. */
  discard(): Promise<void>;
}

/** Attaches the store to `ydoc` (loading what it holds into it); undefined where the browser has no IndexedDB. */
export function openOfflineStore(name: string, ydoc: Y.Doc): OfflineStore | undefined {
  if (typeof indexedDB === 'undefined') return undefined;
  const persistence = new IndexeddbPersistence(name, ydoc);
  const close = () => {
    persistence.destroy().catch((err: unknown) => console.warn(`[offline] closing ${name} failed`, err));
  };
  window.addEventListener(signOutEvent, close);
  // The persistence destroys itself with the Y.Doc; the listener goes with it.
  ydoc.once('destroy', () => window.removeEventListener(signOutEvent, close));
  return {
    persistence,
    discard: () => {
      // The deletion is requested before this connection closes: IndexedDB queues opens and deletions of one
      // database in order, so a store opened right after this call (the editor starting over) waits for the
      // deletion and starts empty, instead of loading the edits being thrown away.
      const deleted = deleteDatabase(name);
      return Promise.all([persistence.destroy(), deleted]).then(() => undefined);
    },
  };
}

/** Deletes every stored document of this person (at sign-out: the next person at this computer sees none of it). */
export async function clearOfflineStores(userId: string): Promise<void> {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return;
  window.dispatchEvent(new Event(signOutEvent));
  const mine = `${prefix}${userId.toLowerCase()}:`;
  const names = (await indexedDB.databases()).map((db) => db.name ?? '').filter((name) => name.startsWith(mine));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, clearTimeoutMs)));
  await Promise.race([Promise.all(names.map(deleteDatabase)), timeout]).finally(() => clearTimeout(timer));
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error(`deleting ${name} failed`));
    // `blocked` (another tab still has it open) is not an error: the deletion completes once that tab lets go.
  });
}
