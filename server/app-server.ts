import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { openDatabase } from '../db/client';
import { resolveAuthSecret } from './auth/secret';
import { createCollabServer } from './collab/server';
import { demoPeople, demoSignInHelp, seedDemo } from './demo/seed';
import { publishAuthUrl, type ServerConfig } from './env';
import { applySecurityHeaders } from './http/security';
import { saveVersion } from './versions/versions';
import { createServices } from './services';
import { registerServices } from './registry';
import { countUsers, findUserByEmail } from './users/users';
import type { CollabConfig } from './collab/config';
import type { RateLimits } from './http/rate-limit';
import type { WorkerPoolConfig } from './workers/pool';
import { createServerPool, type ServerPool } from './workers/server-pool';
import { mailConfig, type MailConfig } from './mail/config';
import { mailLinks, type MailLinks } from './mail/links';
import { createMailSender, type MailSender } from './mail/sender';
import { startRoundDeadlines } from './rounds/deadlines';
import { startPurgeTimer } from './documents/purge';

export const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface RunningServer {
  url: string;
  port: number;
  services: ReturnType<typeof createServices>;
  collab: ReturnType<typeof createCollabServer>;
  /** The worker threads for CPU-heavy requests (export rendering, .docx import). */
  workers: ServerPool;
  /** The outbox's sender in this process (started once the server listens). */
  mail: MailSender;
  /** The rounds' timer in this process: closes overdue rounds and sends due reminders. */
  roundTimer: ReturnType<typeof startRoundDeadlines>;
  /** Flushes every pending document write, then closes connections and the database. */
  close(): Promise<void>;
}

/**
 * One process, one port: the Next.js request handler for pages and API routes, and the collaboration server on
 * the HTTP `upgrade` event for `/collab/<documentId>`.
 */
export async function startServer(
  config: ServerConfig,
  options: {
    log?: (line: string) => void;
    collab?: Partial<CollabConfig>;
    rateLimits?: Partial<RateLimits>;
    workers?: Partial<WorkerPoolConfig>;
    mail?: Partial<MailConfig>;
    /** The restore window of deleted documents and how often the purge runs (tests shorten both). */
    lifecycle?: { retentionMs?: number; purgeIntervalMs?: number };
    /** The rounds' timer: its clock and longest wait (tests move the clock instead of waiting for due dates). */
    rounds?: { now?: () => Date; maxWaitMs?: number };
  } = {},
): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const database = await openDatabase(config.database);
  const { db } = database;
  const authSecret = resolveAuthSecret(config);

  const shouldSeed = config.seedDemo ?? (config.database.kind === 'pglite' && (await countUsers(db)) === 0);
  if (shouldSeed && (await seedDemo(db))) log('[demo] demo workspace created');

  const collab = createCollabServer({
    db,
    authSecret,
    publicUrl: config.publicUrl,
    onVersionDue: async (doc) => void (await saveVersion(db, doc, { kind: 'auto' })),
    redis: config.redisUrl ? { url: config.redisUrl } : undefined,
    ...options.collab,
  });
  let links: MailLinks | undefined;
  let sender: MailSender | undefined;
  await collab.start(); // several processes: connected to Redis before the first client
  const workers = createServerPool(options.workers);
  let deadlines: ReturnType<typeof startRoundDeadlines> | undefined;
  const services = createServices({
    db,
    config,
    authSecret,
    collab,
    workers,
    rateLimits: options.rateLimits,
    links: () => links ?? mailLinks(config.publicUrl ?? `http://${config.host}:${config.port}`),
    nudgeMail: () => sender?.nudge(),
    roundScheduled: (at) => deadlines?.schedule(at),
    retentionMs: options.lifecycle?.retentionMs,
  });
  registerServices(services);
  // Rounds past their due date (while the server was down) close now, before the first request.
  deadlines = startRoundDeadlines(services.rounds, { log, ...options.rounds });
  await deadlines.start();
  // Documents deleted longer ago than the restore window go for good, once across processes (SKIP LOCKED).
  const purge = startPurgeTimer(() => services.documents.purge(), {
    intervalMs: options.lifecycle?.purgeIntervalMs,
    log,
  });

  let handle: ((req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>) | undefined;
  const server = http.createServer((req, res) => {
    applySecurityHeaders(req, res, config.dev, config.publicUrl);
    if (!handle) {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end(JSON.stringify({ error: { code: 'starting', message: 'Stukwerk start op. / Starting up.' } }));
      return;
    }
    handle(req, res).catch((err) => {
      console.error('[http] request failed', err);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'internal', message: 'Er ging iets mis. / Something went wrong.' } }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url =
    config.publicUrl?.replace(/\/$/, '') ??
    `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  publishAuthUrl(url);
  links = mailLinks(url);
  const mail = createMailSender({
    db,
    links,
    log,
    config: mailConfig(
      { dataDir: config.dataDir, smtpUrl: config.mail?.smtpUrl, from: config.mail?.from, publicHost: links.domain },
      options.mail,
    ),
  });
  sender = mail;

  const nextApp = next({ dev: config.dev, dir: projectDir, hostname: config.host, port, quiet: !config.dev });
  await nextApp.prepare();
  const nextUpgrade = config.dev ? nextApp.getUpgradeHandler() : undefined;
  handle = nextApp.getRequestHandler() as typeof handle;

  server.on('upgrade', (req, socket, head) => {
    if (req.url?.startsWith('/collab/') || req.url === '/collab') collab.handleUpgrade(req, socket, head);
    else if (nextUpgrade) {
      // Hot reload in development.
      nextUpgrade(req, socket, head).catch((err: unknown) => {
        console.error('[http] development upgrade failed', err);
        socket.destroy();
      });
    } else socket.destroy();
  });

  mail.start();
  if (mail.transport === 'file')
    log(`[mail] geen SMTP_URL: e-mails worden bestanden in ${path.join(config.dataDir, 'mail')}`);

  const demo = await findUserByEmail(db, demoPeople[0]!.email);
  if (demo) log(demoSignInHelp(url));

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    services,
    collab,
    workers,
    mail,
    roundTimer: deadlines,
    close: () =>
      (closing ??= (async () => {
        server.close();
        await deadlines?.stop();
        await purge.stop();
        services.files.close();
        await mail.stop();
        await collab.close();
        await workers.close(); // fails jobs still running: their requests are answered before the sockets close
        server.closeAllConnections();
        await nextApp.close?.();
        registerServices(undefined);
        await database.close();
      })()),
  };
}
