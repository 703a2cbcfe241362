import { randomBytes } from 'node:crypto';
import { startServer, type RunningServer } from '../../server/app-server';
import type { CollabConfig } from '../../server/collab/config';
import type { MailConfig } from '../../server/mail/config';
import { testRedisUrl, type ServerConfig } from '../../server/env';
import { freshDatabase } from './database';

/**
 * Several Stukwerk servers in this process on one fresh PostgreSQL database, one AUTH_SECRET and one Redis server,
 * with a channel prefix of their own (so test files running side by side never hear each other). Redis is
 * required: without TEST_REDIS_URL the test fails, it is never skipped.
 */
export async function startCluster(
  count: number,
  options: { collab?: Partial<CollabConfig>; redisUrl?: string; mail?: Partial<MailConfig> } = {},
) {
  const database = await freshDatabase({ postgres: true });
  const redisUrl = options.redisUrl ?? testRedisUrl();
  const channelPrefix = `test-${randomBytes(4).toString('hex')}:`;
  const authSecret = randomBytes(32).toString('hex');
  const configOf = (): ServerConfig => ({
    port: 0,
    host: '127.0.0.1',
    dev: false,
    dataDir: database.dataDir,
    database: database.target,
    authSecret,
    seedDemo: false,
    mail: options.mail?.smtpUrl ? { smtpUrl: options.mail.smtpUrl } : undefined,
  });
  const start = () =>
    startServer(configOf(), {
      log: () => {},
      collab: { log: () => {}, redis: { url: redisUrl, channelPrefix }, catchUpIntervalMs: 500, ...options.collab },
      mail: options.mail,
    });
  const servers: RunningServer[] = [];
  // One after the other: the first one migrates the new database.
  for (let i = 0; i < count; i++) servers.push(await start());
  return {
    servers,
    database,
    authSecret,
    redisUrl,
    channelPrefix,
    async dispose() {
      await Promise.allSettled(servers.map((s) => s.close()));
      await database.drop();
    },
  };
}
