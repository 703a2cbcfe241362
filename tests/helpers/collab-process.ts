/**
 * The collaboration server in a process of its own, so a test can stop it gracefully (SIGTERM) or kill it as a crash
 * would (SIGKILL), and start it again on the same database and port. This one file has both sides:
 *
 * - child (run as `node --import tsx tests/helpers/collab-process.ts <spec JSON>`): loads its modules and says
 *   `ready`; on `start` it opens the database, mounts `createCollabServer` on a bare HTTP server at
 *   `/collab/<documentId>` and prints `collab-process listening on <port>`. SIGTERM closes it the way production does
 *   (every document written out); losing the IPC channel (the test is gone) does the same. After closing, and before
 *   closing the database, it checks that nothing accepted is left unwritten and that storage holds everything its
 *   live documents had integrated; if not, it says so on stderr (`lost at shutdown: …`) and exits with code 3.
 * - parent: {@link spawnCollabProcess} forks a child and waits until it is ready (a warm standby: a restart then
 *   costs only opening the database, which PGlite allows one process at a time); {@link startCollabProcess} does both.
 *
 * Messages over IPC (`{ id, cmd, documentId? }` → `{ id, result }` or `{ id, error }`):
 * - `start`: open the database and listen; the result is the port;
 * - `live`: the loaded document's full state (`Y.encodeStateAsUpdate`), or null when it is not loaded;
 * - `stored`: the document as storage holds it right now (snapshot plus log, read in one repeatable-read
 *   transaction so a concurrent compaction cannot be half seen), as a full state update, or null;
 * - `audit`: "nothing accepted is lost": takes what the live document has integrated, flushes the update log, and
 *   checks that storage, read after, holds all of it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { openDatabase, type Database, type DatabaseHandle, type DatabaseTarget } from '../../db/client';
import type { CollabConfig } from '../../server/collab/config';
import { loadDocument } from '../../server/collab/persistence';
import { createCollabServer, type CollabServer } from '../../server/collab/server';

export interface CollabProcessSpec {
  /** Listen here; 0 for any free port (a restart should pass the port it got, so clients find it again). */
  port: number;
  database: DatabaseTarget;
  authSecret: string;
  /** Collaboration settings other than the database, the secret and the log. */
  collab?: Partial<Omit<CollabConfig, 'db' | 'authSecret' | 'log' | 'onVersionDue' | 'onCommitted'>>;
}

type Exit = number | NodeJS.Signals | null;

/** A child that has loaded its modules and waits for `start`. */
export interface StandbyCollabProcess {
  readonly pid: number;
  start(timeoutMs?: number): Promise<CollabProcess>;
  /** Not needed after all: SIGKILL (it holds nothing yet). */
  discard(): Promise<Exit>;
}

export interface CollabProcess {
  readonly pid: number;
  readonly port: number;
  readonly url: string;
  /** Every line the child wrote to stderr (its warnings and errors), for failure reports. */
  readonly stderr: string[];
  /** Resolves with the exit code, or the signal that ended it. */
  readonly exited: Promise<Exit>;
  live(documentId: string): Promise<Uint8Array | null>;
  /** `checked: false` when the document is not loaded; `gap` is what storage lacks of what the server accepted. */
  audit(documentId: string): Promise<{ checked: boolean; gap: string }>;
  stored(documentId: string): Promise<Uint8Array | null>;
  /** Graceful: SIGTERM, then wait for the exit; SIGKILL after `graceMs`, and the returned signal says so. */
  stop(graceMs?: number): Promise<Exit>;
  /** As a crash: SIGKILL, then wait for the exit. */
  kill(): Promise<Exit>;
}

const thisFile = fileURLToPath(import.meta.url);

export async function startCollabProcess(spec: CollabProcessSpec): Promise<CollabProcess> {
  return (await spawnCollabProcess(spec)).start();
}

export function spawnCollabProcess(spec: CollabProcessSpec, readyTimeoutMs = 60_000): Promise<StandbyCollabProcess> {
  const proc: ChildProcess = fork(thisFile, [JSON.stringify(spec)], {
    execArgv: ['--import', 'tsx'],
    cwd: process.cwd(),
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  const stderr: string[] = [];
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => stderr.push(...d.split('\n').filter(Boolean)));
  const exited = new Promise<Exit>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal)));
  const ended = () => proc.exitCode !== null || proc.signalCode !== null;
  const failure = (what: string, detail: unknown) =>
    new Error(`collab process ${proc.pid}: ${what} (${String(detail)}); stderr:\n${stderr.join('\n')}`);

  let seq = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let onReady: (() => void) | undefined;
  proc.on('message', (msg: { ready?: true; id?: number; result?: unknown; error?: string }) => {
    if (msg.ready) return onReady?.();
    const w = waiting.get(msg.id!);
    if (!w) return;
    waiting.delete(msg.id!);
    if (msg.error !== undefined) w.reject(failure('failed', msg.error));
    else w.resolve(msg.result);
  });
  void exited.then((code) => {
    for (const w of waiting.values()) w.reject(failure('exited', code));
    waiting.clear();
  });
  const ask = <T>(cmd: string, documentId?: string, timeoutMs = 30_000) =>
    new Promise<T>((resolve, reject) => {
      if (!proc.connected) return reject(failure('not running', cmd));
      const id = ++seq;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(failure(`${cmd} timed out`, `${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      proc.send({ id, cmd, documentId });
    });
  const asBytes = (v: Uint8Array | null) => (v ? new Uint8Array(v) : null);
  const kill = async () => {
    if (!ended()) proc.kill('SIGKILL');
    return exited;
  };

  const running = (port: number): CollabProcess => ({
    pid: proc.pid!,
    port,
    url: `http://127.0.0.1:${port}`,
    stderr,
    exited,
    live: (documentId) => ask<Uint8Array | null>('live', documentId).then(asBytes),
    audit: (documentId) => ask<{ checked: boolean; gap: string }>('audit', documentId),
    stored: (documentId) => ask<Uint8Array | null>('stored', documentId).then(asBytes),
    async stop(graceMs = 30_000) {
      if (ended()) return exited;
      proc.kill('SIGTERM');
      const killer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(killer);
      return code;
    },
    kill,
  });

  return new Promise<StandbyCollabProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(failure('not ready in time', `${readyTimeoutMs} ms`));
    }, readyTimeoutMs);
    void exited.then((code) => (clearTimeout(timer), reject(failure('exited before it was ready', code))));
    onReady = () => {
      clearTimeout(timer);
      resolve({
        pid: proc.pid!,
        start: (timeoutMs = 60_000) =>
          ask<number>('start', undefined, timeoutMs).then(running, async (err: unknown) => {
            await kill();
            throw err;
          }),
        discard: kill,
      });
    };
  });
}

/**
 * What a full state update holds that a document can integrate: its structs and deletions, without the parts that
 * wait for a missing dependency (`Y.encodeStateAsUpdate` includes those). A live server holds such parts for a moment
 * when a client's incremental update overtakes its sync step 2: the stock client sends updates as soon as its socket
 * opens, before the handshake.
 */
export function integrated(state: Uint8Array): Y.Snapshot {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const snapshot = Y.snapshot(doc);
  doc.destroy();
  return snapshot;
}

/** What `outer` lacks of `inner`: "structs (client: have vs want, …)", "deletions", or '' when it has it all. */
export function lacks(outer: Y.Snapshot, inner: Y.Snapshot): string {
  const structs = [...inner.sv]
    .filter(([client, clock]) => (outer.sv.get(client) ?? 0) < clock)
    .map(([client, clock]) => `${client}: ${outer.sv.get(client) ?? 0} vs ${clock}`);
  if (structs.length) return `structs (${structs.join(', ')})`;
  return Y.equalDeleteSets(outer.ds, Y.mergeDeleteSets([outer.ds, inner.ds])) ? '' : 'deletions';
}

/** Storage as it is now, read in one transaction (a compaction commits its snapshot and log deletion together). */
async function storedState(db: Database, documentId: string): Promise<Uint8Array | null> {
  const loaded = await db.transaction((tx) => loadDocument(tx as unknown as Database, documentId), {
    isolationLevel: 'repeatable read',
  });
  if (!loaded) return null;
  const state = Y.encodeStateAsUpdate(loaded.ydoc);
  loaded.ydoc.destroy();
  return state;
}

/**
 * Everything a live document has integrated was accepted, so once the update log is flushed it is all in storage
 * (the log, or a snapshot that replaced part of it atomically), and it stays there: later storage must hold it all.
 */
async function audit(
  collab: CollabServer,
  db: Database,
  documentId: string,
): Promise<{ checked: boolean; gap: string }> {
  const doc = collab.loadedDocument(documentId);
  if (!doc || doc.destroyed) return { checked: false, gap: '' };
  const accepted = Y.snapshot(doc.ydoc); // every update in it was appended to the log before the flush below
  await collab.flush();
  const stored = await storedState(db, documentId);
  return { checked: true, gap: lacks(stored ? integrated(stored) : Y.emptySnapshot, accepted) };
}

async function runChild(spec: CollabProcessSpec): Promise<void> {
  let database: DatabaseHandle | undefined;
  let collab: CollabServer | undefined;
  const server = http.createServer((_req, res) => {
    res.writeHead(404);
    res.end();
  });
  /** Documents asked for, to check at shutdown (ids as in the URL; the server accepts only canonical ones anyway). */
  const requested = new Set<string>();
  server.on('upgrade', (req, socket, head) => {
    if (!collab || !req.url?.startsWith('/collab/')) return socket.destroy();
    requested.add(req.url.slice('/collab/'.length).split(/[/?]/)[0]!);
    collab.handleUpgrade(req, socket, head);
  });

  async function start(): Promise<number> {
    database = await openDatabase(spec.database);
    collab = createCollabServer({
      ...spec.collab,
      db: database.db,
      authSecret: spec.authSecret,
      log: (level, message, details) => {
        if (level !== 'info')
          console.error(`[collab ${level}] ${message}`, details === undefined ? '' : JSON.stringify(details));
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(spec.port, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    console.log(`collab-process listening on ${port}`);
    return port;
  }

  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    (stopping ??= (async () => {
      let code = 0;
      try {
        // A destroyed Y.Doc keeps its structs: what each live copy integrated can be compared with storage after.
        const live = [...requested].flatMap((id) => {
          const doc = collab?.loadedDocument(id);
          return doc ? [{ id, ydoc: doc.ydoc }] : [];
        });
        await collab?.close();
        // close() promises everything written; whatever is still queued now dies with the process (as in main.ts).
        const uncommitted = collab?.pendingUpdates ?? 0;
        if (uncommitted) {
          console.error(
            `[collab-process] lost at shutdown: close() resolved with ${uncommitted} accepted updates not yet written`,
          );
          code = 3;
        }
        for (const { id, ydoc } of live) {
          const stored = await storedState(database!.db, id);
          const gap = lacks(stored ? integrated(stored) : Y.emptySnapshot, Y.snapshot(ydoc));
          if (gap) {
            console.error(
              `[collab-process] lost at shutdown: storage of ${id} lacks ${gap} that the live document had integrated`,
            );
            code = 3;
          }
        }
        server.closeAllConnections();
        if (server.listening) await new Promise((r) => server.close(r));
        await database?.close();
      } catch (err) {
        console.error('[collab-process] shutdown failed', err);
        code ||= 1;
      }
      process.exit(code);
    })());
  process.on('SIGTERM', () => void shutdown());
  process.on('disconnect', () => void shutdown());
  // Every command answers, success or error: the handler never rejects.
  process.on('message', (msg: { id: number; cmd: string; documentId?: string }) => void handle(msg));
  async function handle(msg: { id: number; cmd: string; documentId?: string }) {
    try {
      let result: unknown;
      if (msg.cmd === 'start') result = await start();
      else if (!collab || !database) throw new Error('not started');
      else if (msg.cmd === 'live') {
        const doc = collab.loadedDocument(msg.documentId!);
        result = doc && !doc.destroyed ? Y.encodeStateAsUpdate(doc.ydoc) : null;
      } else if (msg.cmd === 'audit') result = await audit(collab, database.db, msg.documentId!);
      else if (msg.cmd === 'stored') result = await storedState(database.db, msg.documentId!);
      else throw new Error(`unknown command ${msg.cmd}`);
      process.send?.({ id: msg.id, result });
    } catch (err) {
      process.send?.({ id: msg.id, error: (err as Error).stack ?? String(err) });
    }
  }
  process.send?.({ ready: true });
}

if (process.argv[1] && path.resolve(process.argv[1]) === thisFile) {
  runChild(JSON.parse(process.argv[2] ?? '{}') as CollabProcessSpec).catch((err: unknown) => {
    console.error('[collab-process] failed', err);
    process.exit(1);
  });
}
