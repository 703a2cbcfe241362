import type { Database } from '../../db/client';
import type { DocumentStatus } from '../../db/schema';
import { canonicalId } from '../../common/ids';
import { describeError } from '../errors';
import type { AutoVersions } from './auto-versions';
import type { Cluster } from './cluster';
import type { CollabConfig, CollabLog } from './config';
import { CollabDocument } from './document';
import { loadDocument } from './persistence';
import type { DocumentStorage } from './storage';

type Entry = {
  loading: Promise<CollabDocument | undefined>;
  doc?: CollabDocument;
  /** Connections being admitted and server-side work (`acquire`): the document does not unload meanwhile. */
  holds: number;
  unloadTimer?: NodeJS.Timeout;
  unloading?: Promise<void>;
  /** A status change that arrived while the document was loading (the load may have read the old one). */
  statusWhileLoading?: DocumentStatus;
  /** Failed unloads in a row: the retry backs off, and only some are logged. */
  failedUnloads: number;
};

/**
 * The live documents of one collaboration server, keyed by canonical id: at most one copy of a document is loaded
 * at any time. Two rules keep every accepted keystroke:
 * - a document is never loaded while updates for it are still uncommitted (they would be missing from the copy,
 *   and a later compaction of that copy would delete them);
 * - a document is released only after its last writes are committed: when the database refuses (an outage), it
 *   stays loaded, keeps what it holds, serves whoever reconnects, and unloading is tried again later.
 */
export function createDocumentRegistry(options: {
  db: Database;
  config: Pick<CollabConfig, 'unloadDelayMs' | 'unloadRetryMs' | 'maxAwarenessStateBytes'>;
  storage: DocumentStorage;
  versions: AutoVersions;
  log: CollabLog;
  /** Several processes: a loaded document is subscribed to and caught up from the shared log. */
  cluster?: Cluster;
}) {
  const { db, config, storage, versions, log, cluster } = options;
  const entries = new Map<string, Entry>();
  let closing = false;

  async function load(id: string, entry: Entry): Promise<CollabDocument | undefined> {
    if (storage.uncommittedFor(id) > 0) await storage.flush();
    const loaded = await loadDocument(db, id);
    if (!loaded) return undefined;
    const doc = new CollabDocument(id, loaded.ydoc, entry.statusWhileLoading ?? loaded.status, loaded, {
      accepted: (d, update) => {
        storage.append(d, update);
        versions.changed(d);
        cluster?.accepted(d, update);
      },
      maxAwarenessStateBytes: config.maxAwarenessStateBytes,
      log,
    });
    if (cluster) {
      try {
        await cluster.hold(doc, loaded.snapshotSeq);
      } catch (err) {
        cluster.release(doc);
        doc.destroy();
        throw err;
      }
    }
    entry.doc = doc;
    return doc;
  }

  /** The live document (loading it if needed), or undefined for an unknown or malformed id. */
  async function open(rawId: string): Promise<CollabDocument | undefined> {
    const id = canonicalId(rawId);
    if (!id) return undefined;
    // After close() began, a copy loaded now would never be written out or released.
    if (closing) throw new Error('the collaboration server is closing');
    for (;;) {
      const existing = entries.get(id);
      if (!existing) break;
      if (existing.unloadTimer) clearTimeout(existing.unloadTimer);
      existing.unloadTimer = undefined;
      // Wait for an unload in progress: it either released the document (load it again) or kept it.
      if (existing.unloading) {
        await existing.unloading;
        continue;
      }
      return existing.loading;
    }
    const entry: Entry = { loading: Promise.resolve(undefined), holds: 0, failedUnloads: 0 };
    entry.loading = load(id, entry).then(
      (doc) => {
        if (!doc) entries.delete(id);
        return doc;
      },
      (err: unknown) => {
        entries.delete(id);
        throw err;
      },
    );
    entries.set(id, entry);
    return entry.loading;
  }

  /** Loads (or finds) a document and holds it until `release()`: it does not unload in between. */
  async function acquire(rawId: string): Promise<{ doc: CollabDocument; release: () => void } | undefined> {
    const doc = await open(rawId);
    const entry = doc && entries.get(doc.id);
    if (!doc || !entry || entry.doc !== doc) return undefined;
    entry.holds++;
    let released = false;
    return {
      doc,
      release: () => {
        if (released) return;
        released = true;
        entry.holds--;
        scheduleUnload(doc);
      },
    };
  }

  /** After the last connection leaves and nothing holds it: flush, compact, release the memory. */
  function scheduleUnload(doc: CollabDocument, delayMs = config.unloadDelayMs) {
    const entry = entries.get(doc.id);
    if (closing || !entry || entry.doc !== doc || entry.unloadTimer || entry.unloading) return;
    if (doc.connections.size > 0 || entry.holds > 0) return;
    entry.unloadTimer = setTimeout(() => {
      entry.unloadTimer = undefined;
      if (doc.connections.size > 0 || entry.holds > 0) return;
      entry.unloading = unload(entry, doc).finally(() => (entry.unloading = undefined));
    }, delayMs);
  }

  /** Never rejects. On failure the document stays, with everything it holds, and the unload is retried later. */
  async function unload(entry: Entry, doc: CollabDocument): Promise<void> {
    try {
      await writeOut(doc);
    } catch (err) {
      const failures = ++entry.failedUnloads;
      if (failures === 1 || failures % 10 === 0) {
        log(
          'error',
          `releasing ${doc.id} failed (${failures}×); it stays loaded and is tried again`,
          describeError(err),
        );
      }
      const retryMs = Math.min(config.unloadRetryMs * 2 ** Math.min(failures - 1, 6), 60_000);
      setImmediate(() => scheduleUnload(doc, retryMs));
      return;
    }
    entry.failedUnloads = 0;
    // Nobody came back meanwhile (they wait for this unload): release it.
    if (doc.connections.size > 0 || entry.holds > 0) return;
    entries.delete(doc.id);
    versions.cancel(doc);
    cluster?.release(doc);
    doc.destroy();
  }

  /** Takes a due version, commits the log and compacts it; rejects when the log could not be written. */
  async function writeOut(doc: CollabDocument) {
    await versions.takeDue(doc);
    await storage.flush();
    if (doc.hasLog) await storage.compact(doc);
  }

  return {
    open,
    acquire,
    scheduleUnload,
    /** The loaded copy of a document, if any. */
    loaded(rawId: string): CollabDocument | undefined {
      const id = canonicalId(rawId);
      return id ? entries.get(id)?.doc : undefined;
    },
    /** A status change: the live document (or the one being loaded) follows at once. */
    setStatus(rawId: string, status: DocumentStatus) {
      const id = canonicalId(rawId);
      const entry = id ? entries.get(id) : undefined;
      if (!entry) return;
      if (entry.doc) entry.doc.setStatus(status);
      else entry.statusWhileLoading = status;
    },
    documents: () => [...entries.values()].flatMap((e) => (e.doc ? [e.doc] : [])),
    get size() {
      return entries.size;
    },
    /** Shutdown: writes out every document (logging, not throwing, what fails) and releases them all. */
    async close() {
      closing = true;
      for (const entry of entries.values()) if (entry.unloadTimer) clearTimeout(entry.unloadTimer);
      await storage
        .flush()
        .catch((err: unknown) => log('error', 'writing the update log at shutdown failed', describeError(err)));
      for (const entry of [...entries.values()]) {
        if (entry.unloading) await entry.unloading;
        const doc = await entry.loading.catch(() => undefined);
        if (!doc || doc.destroyed) continue;
        await writeOut(doc).catch((err: unknown) =>
          log('error', `writing ${doc.id} at shutdown failed`, describeError(err)),
        );
        versions.cancel(doc);
        cluster?.release(doc);
        doc.destroy();
      }
      entries.clear();
      // Anything appended while the documents were written out (server-side work still holding one) goes out too.
      await storage
        .flush()
        .catch((err: unknown) => log('error', 'writing the update log at shutdown failed', describeError(err)));
    },
  };
}

export type DocumentRegistry = ReturnType<typeof createDocumentRegistry>;
