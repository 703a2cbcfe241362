import path from 'node:path';
import { z } from 'zod';
import type { DatabaseTarget } from '../db/client';

/**
 * The only reader of `process.env` (the variables are listed in the README, "Configuration"). Everything else receives a typed `ServerConfig`.
 */
const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
      .optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    AUTH_SECRET: z.string().min(32, 'AUTH_SECRET must be at least 32 characters').optional(),
    SEED_DEMO: flag.optional(),
    /** The address people use (e.g. https://stukwerk.vrtwente.nl behind a proxy); defaults to http://HOST:PORT. */
    PUBLIC_URL: z.url().optional(),
    OIDC_ISSUER: z.url().optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_NAME: z.string().min(1).default('Organisatie-account'),
    /** A claim of the ID token (e.g. `organisation`, `department`) whose value becomes the person's organisation. */
    OIDC_ORGANISATION_CLAIM: z
      .string()
      .regex(/^[\w:./-]{1,100}$/, 'OIDC_ORGANISATION_CLAIM must be a claim name')
      .optional(),
    /** Several processes on one PostgreSQL database exchange live updates through this Redis server. */
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'REDIS_URL must start with redis:// or rediss://')
      .optional(),
    /** `smtp://user:pass@host:587` or `smtps://…`; unset: mails become .eml files under DATA_DIR/mail/. */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\/[^\s]+$/, 'SMTP_URL must look like smtp://user:pass@host:587 or smtps://host:465')
      .optional(),
    /** Attachments in an S3-compatible bucket: `s3://KEY:SECRET@host:port/bucket` (server/attachments/storage.ts). */
    S3_URL: z
      .string()
      .regex(
        /^s3(\+https)?:\/\/[^\s:@/]+:[^\s@/]+@[^\s/]+\/[^\s/]+/,
        'S3_URL must look like s3://KEY:SECRET@host:port/bucket',
      )
      .optional(),
    /** The sender, e.g. `Stukwerk <no-reply@vrtwente.nl>`; default `Stukwerk <no-reply@HOST>` of PUBLIC_URL (`stukwerk.invalid` for an IP address or localhost). */
    MAIL_FROM: z.string().min(3).max(300).optional(),
  })
  .refine((e) => !e.REDIS_URL || e.DATABASE_URL, {
    message:
      'REDIS_URL (several processes) needs DATABASE_URL: the embedded database (PGlite) serves one process only; set DATABASE_URL=postgres://… and one AUTH_SECRET shared by every process',
    path: ['REDIS_URL'],
  })
  .refine((e) => !e.DATABASE_URL || e.AUTH_SECRET, {
    message: 'AUTH_SECRET is required with DATABASE_URL (several processes must share one secret)',
    path: ['AUTH_SECRET'],
  })
  .refine((e) => !e.OIDC_ISSUER || (e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET), {
    message: 'OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET',
    path: ['OIDC_ISSUER'],
  });

/** Any environment-like map: `process.env`, or a literal in tests. */
export type Env = Record<string, string | undefined>;

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  name: string;
  /** Set: this claim's value is written to the person's organisation at each OIDC sign-in. */
  organisationClaim?: string;
}

export interface ServerConfig {
  port: number;
  host: string;
  dev: boolean;
  database: DatabaseTarget;
  dataDir: string;
  /** Unset in embedded mode: generated once and kept in `dataDir` (see server/auth/secret.ts). */
  authSecret?: string;
  /** `undefined`: seed only an empty embedded database. */
  seedDemo?: boolean;
  publicUrl?: string;
  oidc?: OidcConfig;
  /** Set: this process is one of several on the same PostgreSQL database (see server/collab/cluster.ts). */
  redisUrl?: string;
  /** Outgoing e-mail (server/mail/config.ts has the defaults and the tuning a test may override). */
  mail?: { smtpUrl?: string; from?: string };
  /** Set: attachments live in this S3-compatible bucket instead of DATA_DIR/files. */
  s3Url?: string;
}

export class EnvError extends Error {
  override name = 'EnvError';
}

export function readEnv(env: Env = process.env): z.infer<typeof envSchema> {
  // An empty variable (`DATABASE_URL=`) means unset, as in a shell.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || 'env'}: ${i.message}`);
    throw new EnvError(`Invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export function loadConfig(env: Env = process.env, overrides: { dev?: boolean } = {}): ServerConfig {
  const e = readEnv(env);
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dev: overrides.dev ?? false,
    dataDir,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') },
    authSecret: e.AUTH_SECRET,
    seedDemo: e.SEED_DEMO,
    publicUrl: e.PUBLIC_URL,
    oidc:
      e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET
        ? {
            issuer: e.OIDC_ISSUER,
            clientId: e.OIDC_CLIENT_ID,
            clientSecret: e.OIDC_CLIENT_SECRET,
            name: e.OIDC_NAME,
            organisationClaim: e.OIDC_ORGANISATION_CLAIM,
          }
        : undefined,
    redisUrl: e.REDIS_URL,
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    s3Url: e.S3_URL,
  };
}

/** next-auth 4 reads its base URL from the environment; the server sets it once it knows its port. */
export function publishAuthUrl(url: string): void {
  process.env.NEXTAUTH_URL = url;
}

/** For the test setup: an optional PostgreSQL server to run the suite against as well. */
export function testDatabaseUrl(env: Env = process.env): string | undefined {
  return env.TEST_DATABASE_URL || undefined;
}

/**
 * A PostgreSQL server for the tests that need one whatever the suite runs on (a database outage is a PostgreSQL
 * fault): TEST_DATABASE_URL, else TEST_PG_URL. Missing both is an error, never a skipped test.
 */
export function testPostgresUrl(env: Env = process.env): string {
  const url = env.TEST_DATABASE_URL || env.TEST_PG_URL;
  if (!url)
    throw new Error(
      'This test needs PostgreSQL: set TEST_PG_URL (or TEST_DATABASE_URL) to postgres://… (.ci/run does)',
    );
  return url;
}

/** For the multi-process tests: a Redis server (TEST_REDIS_URL, .ci/run sets it). Missing is an error, never a skip. */
export function testRedisUrl(env: Env = process.env): string {
  const url = env.TEST_REDIS_URL;
  if (!url) throw new Error('This test needs Redis: set TEST_REDIS_URL to redis://… (.ci/run does)');
  return url;
}
