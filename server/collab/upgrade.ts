import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { canonicalId } from '../../common/ids';
import { userFromCookieHeader } from '../auth/session';
import { roleOf } from '../documents/access';
import { describeError } from '../errors';
import type { PublicUser } from '../users/users';
import { colorFor } from './awareness';
import type { CollabConfig, CollabLog } from './config';
import { ClientConnection } from './connection';
import type { CollabDocument } from './document';
import { clientCapabilities, closeCode, type ClientCapabilities } from '../../common/protocol';
import type { DocumentRegistry } from './registry';

/**
 * The way in: the HTTP upgrade at `/collab/<documentId>` is authenticated from the next-auth session cookie (401
 * without one), same-origin checked, and limited per person; the WebSocket then gets its role from the database and
 * joins the live document. Frames that arrive meanwhile wait in a bounded queue. Any failure on this path closes
 * that one connection (1011) and is logged once; it never becomes an unhandled rejection.
 */
export function createUpgradeHandler(options: {
  config: CollabConfig;
  wss: WebSocketServer;
  registry: DocumentRegistry;
  log: CollabLog;
  isClosing: () => boolean;
}) {
  const { config, wss, registry, log } = options;
  const { db } = config;
  /** Open sockets per person, for `maxConnectionsPerUser`. */
  const openPerUser = new Map<string, number>();

  function allowedOrigins(req: IncomingMessage) {
    const set = new Set<string>();
    if (config.publicUrl) set.add(new URL(config.publicUrl).origin);
    if (req.headers.host) set.add(`http://${req.headers.host}`).add(`https://${req.headers.host}`);
    return set;
  }

  function refuse(socket: Duplex, status: 401 | 403 | 429 | 503) {
    const text = { 401: 'Unauthorized', 403: 'Forbidden', 429: 'Too Many Requests', 503: 'Service Unavailable' }[
      status
    ];
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }

  async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    try {
      if (options.isClosing()) return refuse(socket, 503);
      const origin = req.headers.origin;
      if (origin && !allowedOrigins(req).has(origin)) return refuse(socket, 403);
      const user = await userFromCookieHeader(db, config.authSecret, req.headers.cookie);
      if (!user) return refuse(socket, 401);
      if ((openPerUser.get(user.id) ?? 0) >= config.maxConnectionsPerUser) return refuse(socket, 429);
      const room = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/collab\/?/, '').split('/')[0] ?? '';
      wss.handleUpgrade(req, socket, head, (ws) => {
        wss.emit('connection', ws, req);
        openPerUser.set(user.id, (openPerUser.get(user.id) ?? 0) + 1);
        ws.once('close', () => {
          const left = (openPerUser.get(user.id) ?? 1) - 1;
          if (left > 0) openPerUser.set(user.id, left);
          else openPerUser.delete(user.id);
        });
        accept(ws, user, room, clientCapabilities(req.url)).catch((err: unknown) => {
          log('error', `admitting ${user.id} to a document failed`, describeError(err));
          ws.close(closeCode.internalError, 'internal error');
        });
      });
    } catch (err) {
      log('error', 'upgrade failed', describeError(err));
      if (!socket.destroyed) refuse(socket, 503);
    }
  }

  async function accept(
    ws: WebSocket,
    user: PublicUser & { sessionVersion: number },
    room: string,
    capabilities: ClientCapabilities,
  ): Promise<void> {
    ws.binaryType = 'nodebuffer';
    // Frames that arrive while the role is checked and the document loads wait here, within a bound.
    const queued: RawData[] = [];
    let queuedBytes = 0;
    let joined: { conn: ClientConnection; doc: CollabDocument } | undefined;
    ws.on('error', (err) => log('warn', `socket error for ${user.id}`, err.message));
    ws.on('message', (data) => {
      if (joined) return receive(joined.conn, joined.doc, data);
      queuedBytes += rawLength(data);
      // Bounded in count and bytes: at most one maximal frame's worth waits per connection.
      if (queued.length >= config.maxQueuedMessages || queuedBytes > config.maxMessageBytes)
        ws.close(closeCode.tryAgainLater, 'too many messages');
      else queued.push(data);
    });
    ws.on('close', () => {
      if (!joined) return;
      joined.conn.closed = true;
      joined.doc.leave(joined.conn);
      registry.scheduleUnload(joined.doc);
    });

    const documentId = canonicalId(room);
    if (!documentId || !(await roleOf(db, documentId, user.id))) return ws.close(closeCode.forbidden, 'forbidden');
    // Shutdown began while the role was read: reconnect elsewhere (1001), do not load a copy nobody will write out.
    if (options.isClosing()) return ws.close(closeCode.goingAway, 'server shutting down');
    let held: Awaited<ReturnType<DocumentRegistry['acquire']>>;
    try {
      held = await registry.acquire(documentId);
    } catch (err) {
      log('error', `loading ${documentId} failed`, describeError(err));
      return ws.close(closeCode.internalError, 'load failed');
    }
    if (!held) return ws.close(closeCode.forbidden, 'forbidden');
    try {
      // Loading can take a while: the role is read again (with the document held), so a change made meanwhile counts.
      const role = await roleOf(db, documentId, user.id);
      if (!role) return ws.close(closeCode.forbidden, 'forbidden');
      if (ws.readyState !== ws.OPEN) return;
      const conn = new ClientConnection(
        ws,
        { id: user.id, name: user.name, organisation: user.organisation, color: colorFor(user.id) },
        role,
        config.maxBufferedBytes,
        capabilities,
      );
      conn.sessionVersion = user.sessionVersion;
      joined = { conn, doc: held.doc };
      held.doc.join(conn);
      for (const data of queued.splice(0)) receive(conn, held.doc, data);
    } finally {
      held.release();
    }
  }

  function receive(conn: ClientConnection, doc: CollabDocument, data: RawData) {
    // Once shutdown begins nothing more is applied: what is applied must be written before the process exits, and a
    // frame that arrives while the last writes run would miss them. The client re-sends it to the next process.
    if (conn.closed || options.isClosing()) return;
    try {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      doc.receive(conn, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (err) {
      log('warn', `malformed message from ${conn.user.id} on ${doc.id}; closing that connection`, describeError(err));
      conn.close(closeCode.invalidPayload, 'malformed message');
    }
  }

  return { handleUpgrade };
}

const rawLength = (data: RawData) =>
  Array.isArray(data) ? data.reduce((n, b) => n + b.byteLength, 0) : data.byteLength;
