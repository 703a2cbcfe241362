import { randomBytes } from 'node:crypto';
import { startServer, type RunningServer } from '../../server/app-server';
import type { CollabConfig } from '../../server/collab/config';
import type { ServerConfig } from '../../server/env';
import type { RateLimits } from '../../server/http/rate-limit';
import type { WorkerPoolConfig } from '../../server/workers/pool';
import type { MailConfig } from '../../server/mail/config';
import { createUser } from '../../server/users/users';
import { freshDatabase } from './database';

export const testPassword = 'correct horse battery staple';

export interface TestServer extends RunningServer {
  config: ServerConfig;
  /** Stops this server (flushing everything) and starts another on the same database and port. */
  restart(whileDown?: () => unknown): Promise<TestServer>;
  dispose(): Promise<void>;
}

/**
 * Per-person limits in tests: so high that no test meets them by accident (a file's setup may invite dozens of
 * members as one editor). A test about the limits passes its own, e.g. `defaultRateLimits`.
 */
const generous = { burst: 1_000_000, perWindow: 1_000_000, windowMs: 1_000 };
export const testRateLimits: RateLimits = {
  comment: generous,
  invitation: generous,
  import: generous,
  export: generous,
};

/** A real Stukwerk server on port 0 with a fresh migrated database (PGlite, or PostgreSQL with TEST_DATABASE_URL). */
export async function startTestServer(
  options: {
    collab?: Partial<CollabConfig>;
    /** E-mail: an SMTP server's `smtpUrl` and shorter windows; without `smtpUrl` mails become .eml files. */
    mail?: Partial<MailConfig>;
    seedDemo?: boolean;
    rateLimits?: Partial<RateLimits>;
    workers?: Partial<WorkerPoolConfig>;
    /** The restore window of deleted documents and the purge's interval (server/documents/lifecycle.ts). */
    lifecycle?: { retentionMs?: number; purgeIntervalMs?: number };
    /** Attachments in this S3-compatible bucket (`s3://KEY:SECRET@host:port/bucket`) instead of DATA_DIR/files. */
    s3Url?: string;
    /** PostgreSQL even when the suite runs on PGlite, reached through `via` (e.g. a TCP proxy a test can cut). */
    postgres?: { via?: (url: string) => string };
    /** The rounds' timer: a clock the test moves, and how long it waits at most between looks. */
    rounds?: { now?: () => Date; maxWaitMs?: number };
  } = {},
): Promise<TestServer> {
  const database = await freshDatabase({ postgres: !!options.postgres });
  if (options.postgres?.via && database.target.kind === 'postgres')
    database.target.url = options.postgres.via(database.target.url);
  const config: ServerConfig = {
    port: 0,
    host: '127.0.0.1',
    dev: false,
    dataDir: database.dataDir,
    database: database.target,
    authSecret: randomBytes(32).toString('hex'),
    seedDemo: options.seedDemo ?? false,
    s3Url: options.s3Url,
  };
  const boot = async (): Promise<TestServer> => {
    const server = await startServer(config, {
      log: () => {},
      collab: { log: () => {}, ...options.collab },
      rateLimits: options.rateLimits ?? testRateLimits,
      workers: options.workers,
      mail: options.mail,
      lifecycle: options.lifecycle,
      rounds: options.rounds,
    });
    return {
      ...server,
      config,
      restart: async (whileDown) => {
        await server.close();
        await whileDown?.();
        config.port = server.port; // clients reconnect to the address they know
        return boot();
      },
      dispose: async () => {
        await server.close();
        await database.drop();
      },
    };
  };
  return boot();
}

let counter = 0;
/** A user with a unique e-mail address and the shared test password; `isAdmin` for one who may grant the chair role. */
export async function makeUser(
  server: RunningServer,
  name = 'Test',
  organisation?: string,
  options: { isAdmin?: boolean } = {},
) {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${++counter}.${randomBytes(3).toString('hex')}@example.nl`;
  return createUser(server.services.db, {
    email,
    name,
    password: testPassword,
    organisation,
    isAdmin: options.isAdmin ?? false,
  });
}
