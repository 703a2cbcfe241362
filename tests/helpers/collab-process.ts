/**
 * The collaboration server in a process of its own, so a test can stop it gracefully (SIGTERM) or kill it as a crash
 * would (SIGKILL), and start it again on the same database and port. This one file has both sides:
 *
 * - child (run as `node --import tsx tests/helpers/collab-process.ts <spec JSON>`): opens the database, mounts
 *   `createCollabServer` on a bare HTTP server at `/collab/<documentId>`, prints `collab-process listening on <port>`,
 *   and answers a few questions over IPC. SIGTERM closes it the way production does (every document written out);
 *   losing the IPC channel (the test is gone) does the same.
 * - parent: {@link startCollabProcess} forks the child and waits until it listens.
 *
 * Questions over IPC (`{ id, cmd, documentId }` → `{ id, result }` or `{ id, error }`):
 * - `live`: the loaded document's full state (`Y.encodeStateAsUpdate`), or null when it is not loaded;
 * - `stored`: the document as storage holds it right now (snapshot plus log, read in one repeatable-read
 *   transaction so a concurrent compaction cannot be half seen), as a full state update.
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { openDatabase, type Database, type DatabaseTarget } from '../../db/client';
import type { CollabConfig } from '../../server/collab/config';
import { loadDocument } from '../../server/collab/persistence';
import { createCollabServer } from '../../server/collab/server';

export interface CollabProcessSpec {
  /** Listen here; 0 for any free port (a restart should pass the port it got, so clients find it again). */
  port: number;
  database: DatabaseTarget;
  authSecret: string;
  /** Collaboration settings other than the database, the secret and the log. */
  collab?: Partial<Omit<CollabConfig, 'db' | 'authSecret' | 'log' | 'onVersionDue' | 'onCommitted'>>;
}

export interface CollabProcess {
  readonly pid: number;
  readonly port: number;
  readonly url: string;
  /** Every line the child wrote to stderr (its warnings and errors), for failure reports. */
  readonly stderr: string[];
  /** Resolves with the exit code, or the signal that ended it. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
  live(documentId: string): Promise<Uint8Array | null>;
  stored(documentId: string): Promise<Uint8Array | null>;
  /** Graceful: SIGTERM, then wait for the exit; SIGKILL after `graceMs`, and the returned code says so. */
  stop(graceMs?: number): Promise<number | NodeJS.Signals | null>;
  /** As a crash: SIGKILL, then wait for the exit. */
  kill(): Promise<number | NodeJS.Signals | null>;
}

const thisFile = fileURLToPath(import.meta.url);
const listeningLine = /collab-process listening on (\d+)/;

export function startCollabProcess(spec: CollabProcessSpec, options: { startTimeoutMs?: number } = {}): Promise<CollabProcess> {
  const proc: ChildProcess = fork(thisFile, [JSON.stringify(spec)], {
    execArgv: ['--import', 'tsx'],
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  const stderr: string[] = [];
  let stdout = '';
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal)));
  let seq = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  proc.on('message', (msg: { id: number; result?: unknown; error?: string }) => {
    const w = waiting.get(msg.id);
    if (!w) return;
    waiting.delete(msg.id);
    if (msg.error !== undefined) w.reject(new Error(`collab process ${proc.pid}: ${msg.error}`));
    else w.resolve(msg.result);
  });
  void exited.then((code) => {
    for (const w of waiting.values()) w.reject(new Error(`collab process ${proc.pid} exited (${code})`));
    waiting.clear();
  });
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => stderr.push(...d.split('\n').filter(Boolean)));

  const ask = <T>(cmd: string, documentId: string, timeoutMs = 30_000) =>
    new Promise<T>((resolve, reject) => {
      if (!proc.connected) return reject(new Error(`collab process ${proc.pid} is not running`));
      const id = ++seq;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`collab process ${proc.pid}: ${cmd} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      proc.send({ id, cmd, documentId });
    });
  const asBytes = (v: Uint8Array | null) => (v ? new Uint8Array(v) : null);
  const ended = () => proc.exitCode !== null || proc.signalCode !== null;

  return new Promise<CollabProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`collab process did not listen within ${options.startTimeoutMs ?? 60_000} ms; stderr:\n${stderr.join('\n')}`));
    }, options.startTimeoutMs ?? 60_000);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`collab process exited (${code}) before it listened; stderr:\n${stderr.join('\n')}`));
    });
    proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const m = listeningLine.exec(stdout);
      if (!m) return;
      stdout = '';
      clearTimeout(timer);
      const port = Number(m[1]);
      resolve({
        pid: proc.pid!,
        port,
        url: `http://127.0.0.1:${port}`,
        stderr,
        exited,
        live: (documentId) => ask<Uint8Array | null>('live', documentId).then(asBytes),
        stored: (documentId) => ask<Uint8Array | null>('stored', documentId).then(asBytes),
        async stop(graceMs = 30_000) {
          if (ended()) return exited;
          proc.kill('SIGTERM');
          const killer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
          const code = await exited;
          clearTimeout(killer);
          return code;
        },
        async kill() {
          if (!ended()) proc.kill('SIGKILL');
          return exited;
        },
      });
    });
  });
}

/** Storage as it is now, read in one transaction (a compaction commits its snapshot and log deletion together). */
async function storedState(db: Database, documentId: string): Promise<Uint8Array | null> {
  const loaded = await db.transaction((tx) => loadDocument(tx as unknown as Database, documentId), { isolationLevel: 'repeatable read' });
  if (!loaded) return null;
  const state = Y.encodeStateAsUpdate(loaded.ydoc);
  loaded.ydoc.destroy();
  return state;
}

async function runChild(spec: CollabProcessSpec): Promise<void> {
  const database = await openDatabase(spec.database);
  const collab = createCollabServer({
    ...spec.collab,
    db: database.db,
    authSecret: spec.authSecret,
    log: (level, message, details) => {
      if (level !== 'info') console.error(`[collab ${level}] ${message}`, details === undefined ? '' : JSON.stringify(details));
    },
  });
  const server = http.createServer((_req, res) => {
    res.writeHead(404);
    res.end();
  });
  server.on('upgrade', (req, socket, head) => {
    if (req.url?.startsWith('/collab/')) collab.handleUpgrade(req, socket, head);
    else socket.destroy();
  });

  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    (stopping ??= (async () => {
      let code = 0;
      try {
        await collab.close();
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
        await database.close();
      } catch (err) {
        console.error('[collab-process] shutdown failed', err);
        code = 1;
      }
      process.exit(code);
    })());
  process.on('SIGTERM', () => void shutdown());
  process.on('disconnect', () => void shutdown());
  process.on('message', async (msg: { id: number; cmd: string; documentId: string }) => {
    try {
      let result: Uint8Array | null;
      if (msg.cmd === 'live') {
        const doc = collab.loadedDocument(msg.documentId);
        result = doc && !doc.destroyed ? Y.encodeStateAsUpdate(doc.ydoc) : null;
      } else if (msg.cmd === 'stored') {
        result = await storedState(database.db, msg.documentId);
      } else throw new Error(`unknown command ${msg.cmd}`);
      process.send?.({ id: msg.id, result });
    } catch (err) {
      process.send?.({ id: msg.id, error: (err as Error).stack ?? String(err) });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(spec.port, '127.0.0.1', () => resolve());
  });
  console.log(`collab-process listening on ${(server.address() as AddressInfo).port}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === thisFile) {
  runChild(JSON.parse(process.argv[2] ?? '{}') as CollabProcessSpec).catch((err: unknown) => {
    console.error('[collab-process] failed to start', err);
    process.exit(1);
  });
}
