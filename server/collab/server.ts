import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { z } from 'zod';
import { and, inArray, isNull } from 'drizzle-orm';
import { users, type DocumentStatus } from '../../db/schema';
import { userFromCookieHeader } from '../auth/session';
import { roleOf } from '../documents/access';
import type { MembershipChange } from '../documents/members';
import { colorFor } from './awareness';
import { collabDefaults, type CollabConfig } from './config';
import { ClientConnection } from './connection';
import { CollabDocument } from './document';
import { compactDocument, createUpdateLog, loadDocument } from './persistence';
import { clientCapabilities, closeCode, type ClientCapabilities } from './protocol';

type Entry = {
  loading: Promise<CollabDocument | undefined>;
  doc?: CollabDocument;
  unloadTimer?: NodeJS.Timeout;
  unloading?: Promise<void>;
  /** Server-side work holding the document (withDocument): it does not unload meanwhile. */
  holds: number;
};

/**
 * The collaboration server: y-websocket protocol at `/collab/<documentId>`, authenticated at the HTTP upgrade from
 * the next-auth session cookie, with a role per connection from the database. It owns its documents and their
 * persistence; nothing lives at module level, so tests run several side by side.
 */
export function createCollabServer(options: Partial<CollabConfig> & Pick<CollabConfig, 'db' | 'authSecret'>) {
  const config: CollabConfig = { ...collabDefaults, ...options };
  const log = config.log ?? ((level, message, details) => console[level](`[collab] ${message}`, details ?? ''));
  const { db } = config;
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes });
  const entries = new Map<string, Entry>();
  const stats = { flushes: 0, flushedUpdates: 0, flushedBytes: 0, compactions: 0 };
  let closing = false;

  const updateLog = createUpdateLog(
    db,
    config.flushDelayMs,
    (rows, transactionMs) => {
      config.onCommitted?.({ updates: rows.length, bytes: rows.reduce((n, r) => n + r.bytes, 0), delaysMs: rows.map((r) => r.delayMs), transactionMs });
      stats.flushes++;
      stats.flushedUpdates += rows.length;
      for (const row of rows) {
        stats.flushedBytes += row.bytes;
        const doc = entries.get(row.documentId)?.doc;
        if (!doc) continue;
        doc.lastSeq = Math.max(doc.lastSeq, row.seq);
        doc.logUpdates++;
        doc.logBytes += row.bytes;
      }
      for (const id of new Set(rows.map((r) => r.documentId))) {
        const doc = entries.get(id)?.doc;
        if (doc && (doc.logUpdates >= config.compactAfterUpdates || doc.logBytes >= config.compactAfterBytes)) void compact(doc);
      }
    },
    (err) => log('error', 'writing the update log failed; retrying', err),
  );

  const compacting = new Map<string, Promise<void>>();
  function compact(doc: CollabDocument): Promise<void> {
    const running = compacting.get(doc.id);
    if (running) return running;
    const upTo = doc.lastSeq;
    const absorbed = { updates: doc.logUpdates, bytes: doc.logBytes };
    const job = compactDocument(db, doc.id, doc.ydoc, upTo)
      .then(() => {
        stats.compactions++;
        doc.logUpdates = Math.max(0, doc.logUpdates - absorbed.updates);
        doc.logBytes = Math.max(0, doc.logBytes - absorbed.bytes);
      })
      .catch((err) => log('error', `compacting ${doc.id} failed; the log stays`, err))
      .finally(() => compacting.delete(doc.id));
    compacting.set(doc.id, job);
    return job;
  }

  /** Automatic versions: after a pause in editing, and at most `versionMaxIntervalMs` apart while it goes on. */
  const versionTimers = new Map<string, { idle?: NodeJS.Timeout; max?: NodeJS.Timeout }>();
  function scheduleVersion(doc: CollabDocument) {
    if (!config.onVersionDue) return;
    const timers = versionTimers.get(doc.id) ?? {};
    versionTimers.set(doc.id, timers);
    if (timers.idle) clearTimeout(timers.idle);
    timers.idle = setTimeout(() => void takeVersion(doc), config.versionIdleMs);
    timers.max ??= setTimeout(() => void takeVersion(doc), config.versionMaxIntervalMs);
  }
  async function takeVersion(doc: CollabDocument) {
    const timers = versionTimers.get(doc.id);
    if (timers?.idle) clearTimeout(timers.idle);
    if (timers?.max) clearTimeout(timers.max);
    versionTimers.delete(doc.id);
    if (!doc.changedSinceVersion || !config.onVersionDue) return;
    try {
      await config.onVersionDue(doc);
    } catch (err) {
      log('error', `automatic version of ${doc.id} failed`, err);
    }
  }

  function openDocument(id: string): Promise<CollabDocument | undefined> {
    const existing = entries.get(id);
    if (existing && !existing.unloading) {
      if (existing.unloadTimer) clearTimeout(existing.unloadTimer);
      existing.unloadTimer = undefined;
      return existing.loading;
    }
    // A document still unloading is reloaded from storage once its last writes are in.
    const loading = (existing?.unloading ?? Promise.resolve()).then(async () => {
      const loaded = await loadDocument(db, id);
      if (!loaded) {
        entries.delete(id);
        return undefined;
      }
      const doc = new CollabDocument(id, loaded.ydoc, loaded.status, loaded, {
        accepted: (doc, update) => {
          updateLog.append(doc.id, update);
          scheduleVersion(doc);
        },
        maxAwarenessStateBytes: config.maxAwarenessStateBytes,
        log,
      });
      entry.doc = doc;
      return doc;
    });
    const entry: Entry = { loading, holds: 0 };
    entries.set(id, entry);
    loading.catch(() => entries.delete(id));
    return loading;
  }

  /** After the last connection leaves: flush its writes, compact, release the memory. */
  function scheduleUnload(doc: CollabDocument) {
    const entry = entries.get(doc.id);
    if (closing || !entry || doc.connections.size > 0 || entry.holds > 0 || entry.unloadTimer || entry.unloading) return;
    entry.unloadTimer = setTimeout(() => {
      entry.unloadTimer = undefined;
      if (doc.connections.size > 0 || entry.holds > 0) return;
      entry.unloading = unload(doc).finally(() => {
        if (entries.get(doc.id) === entry) entries.delete(doc.id);
      });
    }, config.unloadDelayMs);
  }

  async function unload(doc: CollabDocument) {
    await takeVersion(doc);
    await updateLog.flush();
    if (doc.logUpdates > 0) await compact(doc);
    doc.destroy();
  }

  async function authenticate(req: IncomingMessage) {
    const origin = req.headers.origin;
    if (origin && !allowedOrigins(req).has(origin)) return { error: 403 as const };
    const user = await userFromCookieHeader(db, config.authSecret, req.headers.cookie);
    if (!user) return { error: 401 as const };
    return { user };
  }

  function allowedOrigins(req: IncomingMessage) {
    const set = new Set<string>();
    if (config.publicUrl) set.add(new URL(config.publicUrl).origin);
    if (req.headers.host) set.add(`http://${req.headers.host}`).add(`https://${req.headers.host}`);
    return set;
  }

  function refuse(socket: Duplex, status: 401 | 403 | 503) {
    const text = { 401: 'Unauthorized', 403: 'Forbidden', 503: 'Service Unavailable' }[status];
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }

  async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    socket.on('error', () => socket.destroy());
    try {
      if (closing) return refuse(socket, 503);
      const auth = await authenticate(req);
      if ('error' in auth) return refuse(socket, auth.error!);
      const documentId = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/collab\/?/, '').split('/')[0] ?? '';
      wss.handleUpgrade(req, socket, head, (ws) => void accept(ws, auth.user, documentId, clientCapabilities(req.url)));
    } catch (err) {
      log('error', 'upgrade failed', err);
      socket.destroy();
    }
  }

  async function accept(ws: WebSocket, user: NonNullable<Awaited<ReturnType<typeof userFromCookieHeader>>>, documentId: string, capabilities: ClientCapabilities) {
    ws.binaryType = 'nodebuffer';
    // Frames that arrive while the role is checked and the document loads wait here, within a bound.
    const queued: RawData[] = [];
    let queuedBytes = 0;
    let conn: ClientConnection | undefined;
    let doc: CollabDocument | undefined;
    ws.on('error', (err) => log('warn', `socket error for ${user.id}`, err.message));
    ws.on('message', (data) => {
      if (!conn || !doc) {
        queuedBytes += rawLength(data);
        // Bounded in count and bytes: at most one maximal frame's worth waits per connection.
        if (queued.length >= config.maxQueuedMessages || queuedBytes > config.maxMessageBytes) ws.close(closeCode.tryAgainLater, 'too many messages');
        else queued.push(data);
        return;
      }
      handle(conn, doc, data);
    });
    ws.on('close', () => {
      if (conn) conn.closed = true;
      if (conn && doc) {
        doc.leave(conn);
        scheduleUnload(doc);
      }
    });

    const role = z.uuid().safeParse(documentId).success ? await roleOf(db, documentId, user.id) : undefined;
    if (!role) return ws.close(closeCode.forbidden, 'forbidden');
    try {
      doc = await openDocument(documentId);
    } catch (err) {
      log('error', `loading ${documentId} failed`, err);
      return ws.close(closeCode.internalError, 'load failed');
    }
    if (!doc) return ws.close(closeCode.forbidden, 'forbidden');
    // Loading can take a while: the role is read again, so a change made meanwhile is not missed.
    const current = await roleOf(db, documentId, user.id);
    if (!current) {
      ws.close(closeCode.forbidden, 'forbidden');
      return scheduleUnload(doc);
    }
    if (ws.readyState !== ws.OPEN) return scheduleUnload(doc);
    conn = new ClientConnection(ws, { id: user.id, name: user.name, organisation: user.organisation, color: colorFor(user.id) }, current, config.maxBufferedBytes, capabilities);
    doc.join(conn);
    for (const data of queued.splice(0)) handle(conn, doc, data);
  }

  const rawLength = (data: RawData) => (Array.isArray(data) ? data.reduce((n, b) => n + b.byteLength, 0) : data.byteLength);

  /**
   * Deactivated people lose their open connections too: every `revalidateUsersMs` the connected users are checked
   * in one query and those no longer active are closed with 4401.
   */
  const revalidation = setInterval(() => void revalidateUsers(), config.revalidateUsersMs);
  revalidation.unref();
  async function revalidateUsers() {
    const connections = [...entries.values()].flatMap((e) => (e.doc ? [...e.doc.connections] : []));
    const ids = [...new Set(connections.map((c) => c.user.id))];
    if (!ids.length) return;
    try {
      const active = new Set((await db.select({ id: users.id }).from(users).where(and(inArray(users.id, ids), isNull(users.deactivatedAt)))).map((u) => u.id));
      for (const conn of connections) if (!active.has(conn.user.id)) conn.close(closeCode.unauthorized, 'account deactivated');
    } catch (err) {
      log('warn', 'checking connected users failed', err);
    }
  }

  function handle(conn: ClientConnection, doc: CollabDocument, data: RawData) {
    if (conn.closed) return;
    try {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      doc.receive(conn, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (err) {
      log('warn', `malformed message from ${conn.user.id} on ${doc.id}; closing that connection`, (err as Error).message);
      conn.close(closeCode.invalidPayload, 'malformed message');
    }
  }

  return {
    config,
    stats,
    handleUpgrade,

    /** Called after a membership change is committed: downgrade, upgrade or disconnect open connections. */
    membershipChanged(change: MembershipChange) {
      const doc = entries.get(change.documentId)?.doc;
      if (!doc) return;
      for (const conn of doc.connections) {
        if (conn.user.id !== change.userId) continue;
        if (!change.role) conn.close(closeCode.forbidden, 'removed from document');
        else {
          const wasWritable = conn.canWrite(doc.status);
          conn.role = change.role;
          doc.refreshRights(conn, 'role', wasWritable);
        }
      }
    },

    /** Called inside a status change (sign-off): from here on, no connection may write. */
    setStatus(documentId: string, status: DocumentStatus) {
      const entry = entries.get(documentId);
      if (entry?.doc) entry.doc.setStatus(status);
      else void entry?.loading.then((doc) => doc?.setStatus(status)); // loading read the status before this change
    },

    /** Sends a pre-encoded frame to the connections of a loaded document (comment events). */
    broadcast(documentId: string, message: Uint8Array, filter?: (conn: ClientConnection) => boolean) {
      entries.get(documentId)?.doc?.broadcast(message, filter);
    },

    /** Loads (or finds) a document and keeps it for `fn`, then lets it unload when nobody is connected. */
    async withDocument<T>(documentId: string, fn: (doc: CollabDocument) => T | Promise<T>): Promise<T | undefined> {
      const doc = await openDocument(documentId);
      const entry = entries.get(documentId);
      if (!doc || !entry) return undefined;
      entry.holds++;
      try {
        return await fn(doc);
      } finally {
        entry.holds--;
        scheduleUnload(doc);
      }
    },

    /** The live document, if loaded (for sign-off, versions and tests). */
    loadedDocument: (documentId: string) => entries.get(documentId)?.doc,
    openDocument,
    flush: () => updateLog.flush(),
    get documentCount() {
      return entries.size;
    },
    get pendingUpdates() {
      return updateLog.pendingCount;
    },

    /** Stops accepting, closes every connection (1001: reconnect elsewhere), flushes and compacts everything. */
    async close() {
      closing = true;
      clearInterval(revalidation);
      for (const client of wss.clients) client.close(closeCode.goingAway, 'server shutting down');
      const docs = [...entries.values()];
      for (const entry of docs) if (entry.unloadTimer) clearTimeout(entry.unloadTimer);
      await updateLog.flush();
      for (const entry of docs) {
        if (entry.unloading) await entry.unloading;
        else if (entry.doc) await unload(entry.doc);
      }
      entries.clear();
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

export type CollabServer = ReturnType<typeof createCollabServer>;
