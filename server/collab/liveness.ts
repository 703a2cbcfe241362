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
 *   closed with 4401.
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
      .select({ id: users.id })
      .from(users)
      .where(and(inArray(users.id, ids), isNull(users.deactivatedAt)));
    const active = new Set(rows.map((u) => u.id));
    for (const conn of connections)
      if (!active.has(conn.user.id)) conn.close(closeCode.unauthorized, 'account deactivated');
  }

  return {
    stop() {
      clearInterval(heartbeat);
      clearInterval(revalidation);
    },
  };
}
