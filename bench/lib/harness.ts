import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type DatabaseTarget } from '../../db/client';
import type { CollabConfig } from '../../server/collab/config';
import type { ServerSpec } from '../server-child';
import { spawnChild, type Child } from './child';

/**
 * Starting and stopping what a scenario needs: servers under test (each in its own process, on a fresh migrated
 * database) and load generators. Everything started here is registered for cleanup, also when a scenario throws.
 */
export interface Backend {
  /** "PGlite" or "PostgreSQL". */
  name: string;
  /** A fresh, migrated database for one server; `drop` removes it. */
  fresh(): Promise<{ target: DatabaseTarget; drop(): Promise<void> }>;
}

export interface Options {
  quick: boolean;
  only?: Set<number>;
  /** Scenario 1: the numbers of clients to measure (`--sizes=50,100`) instead of the default ladder. */
  sizes?: number[];
  /** Root of everything this run writes to disk (removed at the end). */
  workDir: string;
}

export interface Server {
  kind: 'stukwerk' | 'reference';
  label: string;
  child: Child;
  port: number;
  /** ws://127.0.0.1:port/collab, the provider's serverUrl. */
  url: string;
  spec: ServerSpec;
}

const cleanups: (() => Promise<void>)[] = [];
export const onCleanup = (f: () => Promise<void>) => cleanups.push(f);
export async function runCleanups() {
  for (const f of cleanups.splice(0).reverse())
    await f().catch((err) => console.error('[bench] cleanup failed:', (err as Error).message));
}

export async function makeBackends(workDir: string, postgresUrl: string | undefined): Promise<Backend[]> {
  // PGlite's first open runs initdb (seconds): migrate one template and copy it for every server.
  const template = path.join(workDir, 'pglite-template');
  const handle = await openDatabase({ kind: 'pglite', dataDir: template });
  await handle.close();
  const backends: Backend[] = [
    {
      name: 'PGlite',
      fresh: async () => {
        const dir = mkdtempSync(path.join(workDir, 'db-'));
        const dataDir = path.join(dir, 'pglite');
        cpSync(template, dataDir, { recursive: true });
        return { target: { kind: 'pglite', dataDir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
      },
    },
  ];
  if (postgresUrl) {
    backends.push({
      name: 'PostgreSQL',
      fresh: async () => {
        const name = `stukwerk_bench_${randomBytes(5).toString('hex')}`;
        const admin = new pg.Client({ connectionString: postgresUrl });
        await admin.connect();
        await admin.query(`create database ${name}`);
        await admin.end();
        const url = new URL(postgresUrl);
        url.pathname = `/${name}`;
        // Migrated here, before the server opens it, so start-up time is not measured as part of a scenario.
        const h = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 2 });
        await h.close();
        return {
          target: { kind: 'postgres', url: url.toString() },
          drop: async () => {
            const c = new pg.Client({ connectionString: postgresUrl });
            await c.connect();
            await c.query(`drop database if exists ${name} with (force)`);
            await c.end();
          },
        };
      },
    });
  }
  return backends;
}

export function makeWorkDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stukwerk-bench-'));
  mkdirSync(dir, { recursive: true });
  onCleanup(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function launch(label: string, spec: ServerSpec): Promise<Server> {
  const child = await spawnChild(label, 'server-child.ts', { BENCH_SERVER: JSON.stringify(spec) });
  onCleanup(() => child.stop());
  const { port } = await child.call<{ port: number }>('info');
  return { kind: spec.kind, label, child, port, url: `ws://127.0.0.1:${port}/collab`, spec: { ...spec, port } };
}

/** Stukwerk as in production, on a fresh database of `backend` (or on `target`, to reopen one after a restart). */
export async function startStukwerk(
  backend: Backend,
  options: {
    collab?: Partial<CollabConfig>;
    port?: number;
    reuse?: { target: DatabaseTarget; authSecret: string };
  } = {},
): Promise<Server & { target: DatabaseTarget; authSecret: string }> {
  let target = options.reuse?.target;
  if (!target) {
    const db = await backend.fresh();
    onCleanup(db.drop);
    target = db.target;
  }
  const authSecret = options.reuse?.authSecret ?? randomBytes(32).toString('hex');
  const server = await launch(`Stukwerk (${backend.name})`, {
    kind: 'stukwerk',
    port: options.port ?? 0,
    database: target,
    authSecret,
    collab: options.collab,
  });
  return { ...server, target, authSecret };
}

export function startReference(options: { port?: number } = {}): Promise<Server> {
  return launch('reference', { kind: 'reference', port: options.port ?? 0 });
}

export async function startClients(label = 'clients'): Promise<Child> {
  const child = await spawnChild(label, 'clients-child.ts');
  onCleanup(() => child.stop());
  return child;
}

/** Users, documents and memberships on a Stukwerk server; for the reference, document names and no cookies. */
export async function seed(
  server: Server,
  spec: { users: number; documents: number; usersPerDocument: number; content: 'memo' | 'blank' },
): Promise<{ documentIds: string[]; cookies: (string | undefined)[]; initialState?: Uint8Array }> {
  if (server.kind === 'stukwerk') return server.child.call('seed', spec, 300_000);
  return {
    documentIds: Array.from({ length: spec.documents }, () => randomBytes(8).toString('hex')),
    cookies: Array.from({ length: spec.users }, () => undefined),
  };
}

/** Client specs: `perDocument` clients on each document, each with its own user (as seeded). */
export function clientsFor(seeded: { documentIds: string[]; cookies: (string | undefined)[] }, perDocument: number) {
  const out: { doc: string; cookie?: string }[] = [];
  seeded.documentIds.forEach((doc, d) => {
    for (let j = 0; j < perDocument; j++)
      out.push({ doc, cookie: seeded.cookies[(d * perDocument + j) % seeded.cookies.length] });
  });
  return out;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
