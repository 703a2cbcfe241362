import { WebSocketServer } from 'ws';
import type { DocumentStatus } from '../../db/schema';
import type { MembershipChange } from '../documents/members';
import { describeError } from '../errors';
import { createAutoVersions } from './auto-versions';
import { createCluster } from './cluster';
import { collabDefaults, type CollabConfig, type CollabLog } from './config';
import type { ClientConnection } from './connection';
import type { CollabDocument } from './document';
import { startLiveness } from './liveness';
import { closeCode } from '../../common/protocol';
import { createDocumentRegistry } from './registry';
import { createDocumentStorage } from './storage';
import { createUpgradeHandler } from './upgrade';

/**
 * The collaboration server: y-websocket protocol at `/collab/<documentId>`. It is composed of the storage (update
 * log and compaction), the registry of live documents (open, hold, unload), the upgrade path (authentication and
 * admission), automatic versions and liveness checks. It owns all of them; nothing lives at module level, so tests
 * run several side by side.
 */
export function createCollabServer(options: Partial<CollabConfig> & Pick<CollabConfig, 'db' | 'authSecret'>) {
  const config: CollabConfig = { ...collabDefaults, ...options };
  const log: CollabLog =
    config.log ?? ((level, message, details) => console[level](`[collab] ${message}`, details ?? ''));
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes });
  let closing = false;

  const cluster = config.redis
    ? createCluster({
        db: config.db,
        redisUrl: config.redis.url,
        channelPrefix: config.redis.channelPrefix ?? 'stukwerk:',
        processId: config.redis.processId,
        catchUpIntervalMs: config.catchUpIntervalMs,
        freezeWaitMs: config.freezeWaitMs,
        log,
      })
    : undefined;
  const storage = createDocumentStorage({
    cluster,
    db: config.db,
    flushDelayMs: config.flushDelayMs,
    mergeRows: config.mergeLogRows,
    compactAfter: { updates: config.compactAfterUpdates, bytes: config.compactAfterBytes },
    log,
    onCommitted: config.onCommitted,
  });
  const take = config.onVersionDue;
  const versions = createAutoVersions({
    idleMs: config.versionIdleMs,
    maxIntervalMs: config.versionMaxIntervalMs,
    take: take && cluster ? (doc) => cluster.versionOnce(doc, take) : take,
    log,
  });
  const registry = createDocumentRegistry({ db: config.db, config, storage, versions, log, cluster });

  /** A membership change on this process's connections (from this process or, through the cluster, another). */
  function localMembershipChanged(change: MembershipChange) {
    const doc = registry.loaded(change.documentId);
    if (!doc) return;
    for (const conn of doc.connections) {
      if (conn.user.id !== change.userId) continue;
      if (!change.role) conn.close(closeCode.forbidden, 'removed from document');
      else {
        const wasWritable = doc.writable(conn);
        conn.role = change.role;
        doc.refreshRights(conn, 'role', wasWritable);
      }
    }
  }
  cluster?.attach({
    loaded: (id) => registry.loaded(id),
    membershipChanged: localMembershipChanged,
    flush: () => storage.flush(),
  });

  const upgrade = createUpgradeHandler({ config, wss, registry, log, isClosing: () => closing });
  const liveness = startLiveness({ config, wss, registry, log });

  return {
    config,
    stats: storage.stats,

    /** For the HTTP server's `upgrade` event. Never rejects. */
    handleUpgrade(...args: Parameters<typeof upgrade.handleUpgrade>): void {
      upgrade.handleUpgrade(...args).catch((err: unknown) => log('error', 'upgrade failed', describeError(err)));
    },

    /** Called after a membership change is committed: downgrade, upgrade or disconnect open connections (in every process). */
    membershipChanged(change: MembershipChange) {
      localMembershipChanged(change);
      cluster?.publishMembership(change);
    },

    /** Called with a status change: from here on, open connections follow the new status (synchronously). */
    setStatus(documentId: string, status: DocumentStatus) {
      registry.setStatus(documentId, status);
      cluster?.publishStatus(documentId, status);
    },

    /** Archived or unarchived (with the stored status): open connections become read-only or writable at once. */
    setArchived(documentId: string, status: DocumentStatus, archived: boolean) {
      registry.loaded(documentId)?.setStatus(status, { archived });
      cluster?.publishStatus(documentId, status, { archived });
    },

    /**
     * The document was deleted: every open connection, in every process, is closed as for a document that does not
     * exist (4403); reconnecting is refused the same way (server/documents/access.ts leaves deleted documents out).
     */
    documentDeleted(documentId: string, memberIds: readonly string[]) {
      for (const userId of memberIds) {
        const change = { documentId, userId, role: null };
        localMembershipChanged(change);
        cluster?.publishMembership(change);
      }
    },

    /** Sends a pre-encoded frame to the connections of a loaded document (comment events). */
    broadcast(documentId: string, message: Uint8Array, filter?: (conn: ClientConnection) => boolean) {
      registry.loaded(documentId)?.broadcast(message, filter);
      // A filter is a function and cannot travel: only events for every connection go to the other processes.
      if (!filter) cluster?.publishFrame(documentId, message);
    },

    /** Set when several processes share the database (REDIS_URL): sign-off and tests use it. */
    cluster,
    /** Connects to Redis (several processes); resolves at once otherwise. */
    start: async () => {
      await cluster?.connect();
    },

    /** Loads (or finds) a document and keeps it for `fn`, then lets it unload when nobody is connected. */
    async withDocument<T>(documentId: string, fn: (doc: CollabDocument) => T | Promise<T>): Promise<T | undefined> {
      const held = await registry.acquire(documentId);
      if (!held) return undefined;
      try {
        return await fn(held.doc);
      } finally {
        held.release();
      }
    },

    /** The live document, if loaded (for sign-off, versions and tests). */
    loadedDocument: (documentId: string) => registry.loaded(documentId),
    openDocument: (documentId: string) => registry.open(documentId),
    flush: () => storage.flush(),
    get documentCount() {
      return registry.size;
    },
    get pendingUpdates() {
      return storage.pendingCount;
    },

    /** Stops accepting, closes every connection (1001: reconnect elsewhere), flushes and compacts everything. */
    async close() {
      closing = true;
      liveness.stop();
      for (const client of wss.clients) client.close(closeCode.goingAway, 'server shutting down');
      await registry.close();
      await cluster?.close();
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

export type CollabServer = ReturnType<typeof createCollabServer>;
