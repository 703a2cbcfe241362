import { and, inArray, isNull } from 'drizzle-orm';
import type { WebSocket, WebSocketServer } from 'ws';
import { users } from '../../db/schema';
import { describeError } from '../errors';
import type { CollabConfig, CollabLog } from './config';
import { closeCode } from '../../common/protocol';
import type { DocumentRegistry } from './registry';

/**
 * Keeps the set of open connections honest:
 * - a socket that stays silent (no frame, no pong to our pings) for `connectionTimeoutMs` is dropped, so a
 *   half-open TCP connection (a laptop closed, a network gone) does not keep its document loaded forever;
 * - every `revalidateUsersMs` the connected people are checked in one query, and those deactivated meanwhile are
 *   closed with 4401, and so are connections whose session ended (signed out) since they were admitted.
 */
export function startLiveness(options: {
  config: CollabConfig;
  wss: WebSocketServer;
  registry: DocumentRegistry;
  log: CollabLog;
}) {
  const { config, wss, registry, log } = options;
  const lastHeard = new WeakMap<WebSocket, number>();

  wss.on('connection', (ws) => {
    lastHeard.set(ws, Date.now());
    const heard = () => lastHeard.set(ws, Date.now());
    ws.on('message', heard);
    ws.on('pong', heard);
  });

  const heartbeat = setInterval(() => {
    const now = Date.now();
    for (const ws of wss.clients) {
      if (now - (lastHeard.get(ws) ?? now) > config.connectionTimeoutMs) ws.terminate();
      else if (ws.readyState === ws.OPEN) ws.ping();
    }
  }, config.pingIntervalMs);
  heartbeat.unref();

  const revalidation = setInterval(() => {
    revalidateUsers().catch((err: unknown) => log('warn', 'checking connected users failed', describeError(err)));
  }, config.revalidateUsersMs);
  revalidation.unref();

  async function revalidateUsers() {
    const connections = registry.documents().flatMap((doc) => [...doc.connections]);
    const ids = [...new Set(connections.map((c) => c.user.id))];
    if (!ids.length) return;
    const rows = await config.db
      .select({ id: users.id, sessionVersion: users.sessionVersion })
      .from(users)
      .where(and(inArray(users.id, ids), isNull(users.deactivatedAt)));
    const version = new Map(rows.map((u) => [u.id, u.sessionVersion]));
    for (const conn of connections) {
      // Deactivated, or signed out since this connection was admitted (the user's session version moved on).
      const current = version.get(conn.user.id);
      if (current === undefined || (conn.sessionVersion !== undefined && conn.sessionVersion !== current)) {
        conn.close(closeCode.unauthorized, 'session ended');
      }
    }
  }

  return {
    stop() {
      clearInterval(heartbeat);
      clearInterval(revalidation);
    },
  };
}
