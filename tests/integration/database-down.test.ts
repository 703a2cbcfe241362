import { randomBytes } from 'node:crypto';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseTarget } from '../../db/client';
import { startServer, type RunningServer } from '../../server/app-server';
import { freshDatabase } from '../helpers/database';
import { apiClient, signIn } from '../helpers/http';
import { makeUser } from '../helpers/server';

/**
 * A server whose database goes away while it runs. Embedded: the PGlite thread is closed under it. PostgreSQL
 * (TEST_DATABASE_URL): the server talks to it through a TCP proxy that the test shuts, cutting open connections
 * and refusing new ones, as a stopped database server would.
 */
let server: RunningServer;
let breakDatabase: () => Promise<void>;
let dispose: () => Promise<void>;

/** A TCP proxy to `upstream`; `close()` stops accepting and cuts every connection it carries. */
async function tcpProxy(upstream: URL) {
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const remote = net.connect(Number(upstream.port || 5432), upstream.hostname);
    for (const s of [client, remote]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(remote).pipe(client);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const url = new URL(upstream);
  url.hostname = '127.0.0.1';
  url.port = String((proxy.address() as AddressInfo).port);
  return {
    url: url.toString(),
    close: async () => {
      const closed = new Promise((resolve) => proxy.close(resolve));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

beforeAll(async () => {
  const database = await freshDatabase();
  let target: DatabaseTarget = database.target;
  let proxy: Awaited<ReturnType<typeof tcpProxy>> | undefined;
  if (target.kind === 'postgres') {
    proxy = await tcpProxy(new URL(target.url));
    target = { ...target, url: proxy.url };
  }
  server = await startServer(
    {
      port: 0,
      host: '127.0.0.1',
      dev: false,
      dataDir: database.dataDir,
      database: target,
      authSecret: randomBytes(32).toString('hex'),
      seedDemo: false,
    },
    { log: () => {}, collab: { log: () => {} } },
  );
  breakDatabase = async () => {
    if (proxy) return proxy.close();
    // drizzle keeps the driver client as `$client`: here the PGlite thread (db/pglite-thread.ts).
    await (server.services.db as unknown as { $client: { close(): Promise<void> } }).$client.close();
  };
  dispose = async () => {
    await server.close();
    await proxy?.close();
    await database.drop();
  };
});
afterAll(() => dispose?.());

describe('when the database cannot be reached', () => {
  it('health says ok while it answers, and 503 unavailable once it is gone; the API answers 503 without the database’s words', async () => {
    const user = await makeUser(server, 'Anne');
    const api = apiClient(server.url, await signIn(server.url, user.email));
    const healthy = await fetch(`${server.url}/api/health`);
    expect([healthy.status, (await healthy.json()).status]).toEqual([200, 'ok']);
    expect((await api.get('/api/documents')).status).toBe(200);

    await breakDatabase();

    const health = await fetch(`${server.url}/api/health`);
    expect([health.status, (await health.json()).status]).toEqual([503, 'unavailable']);
    for (const res of [
      await api.get('/api/documents'),
      await api.post('/api/documents', { title: 'Tijdens storing' }),
    ]) {
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('unavailable:database');
      // Only our own message: nothing of the driver's error, address or stack reaches the client.
      expect(res.text).not.toMatch(/ECONNREFUSED|terminated|thread|closed|127\.0\.0\.1|at \w+ \(/i);
    }
  });
});
