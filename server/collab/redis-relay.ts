import { Redis } from 'ioredis';
import type { CollabLog } from './config';

/**
 * The Redis side of several processes: one connection publishes, one subscribes (a subscribed connection can do
 * nothing else). A channel per document, subscribed only while this process holds the document. Publishing never
 * waits for a reconnect: while Redis is away a message is dropped (counted), and the shared log fills the gap when
 * the subscriber is back (`onReconnect`).
 */
export function createRedisRelay(options: {
  url: string;
  log: CollabLog;
  onMessage: (channel: string, message: Uint8Array) => void;
  onReconnect: () => void;
}) {
  const { log } = options;
  const common = {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: (times: number) => Math.min(50 * times, 1_000),
  };
  const pub = new Redis(options.url, { ...common, enableOfflineQueue: false });
  const sub = new Redis(options.url, { ...common, enableOfflineQueue: true, autoResubscribe: true });
  const stats = { published: 0, dropped: 0, received: 0, reconnects: 0 };
  let readyOnce = false;
  let down = false;

  for (const [name, client] of [
    ['publisher', pub],
    ['subscriber', sub],
  ] as const) {
    client.on('error', (err: Error) => {
      if (down) return;
      down = true;
      log('warn', `redis ${name}: ${err.message}; the shared log keeps documents converging meanwhile`);
    });
  }
  sub.on('ready', () => {
    if (down) log('info', 'redis is back; catching up from the log');
    down = false;
    if (!readyOnce) readyOnce = true;
    else {
      stats.reconnects++;
      options.onReconnect();
    }
  });
  sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
    stats.received++;
    options.onMessage(channel.toString(), new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
  });

  return {
    stats,
    async connect(): Promise<void> {
      await Promise.all([pub.connect(), sub.connect()]);
    },
    /** Never rejects: a lost message is made good by catch-up. */
    publish(channel: string, message: Uint8Array): void {
      if (pub.status !== 'ready') {
        stats.dropped++;
        return;
      }
      stats.published++;
      pub
        .publish(channel, Buffer.from(message.buffer, message.byteOffset, message.byteLength))
        .catch(() => stats.dropped++);
    },
    subscribe: (channel: string): Promise<unknown> => sub.subscribe(channel),
    unsubscribe: (channel: string): Promise<unknown> => sub.unsubscribe(channel),
    /** How many processes hold the document now (each subscribes its channel once). */
    async subscribers(channel: string): Promise<number> {
      const reply = (await pub.pubsub('NUMSUB', channel)) as [string, number];
      return Number(reply[1] ?? 0);
    },
    async close(): Promise<void> {
      await Promise.allSettled([pub.quit(), sub.quit()]);
      pub.disconnect();
      sub.disconnect();
    },
  };
}

export type RedisRelay = ReturnType<typeof createRedisRelay>;
