/**
 * A server under test, in a process of its own so that the load generators' CPU does not count against it. It is
 * either Stukwerk's collaboration server exactly as in production (session cookie checked at the upgrade, role
 * from the database, group-committed update log and compaction on PGlite or PostgreSQL), mounted on a bare HTTP
 * server at `/collab/<documentId>`, or the bare y-websocket reference server `@y/websocket-server@0.1.1` (no
 * authentication, no storage) at the same path. The event-loop delay, CPU time and memory are measured here.
 *
 * Configuration comes in BENCH_SERVER (JSON: {@link ServerSpec}); commands arrive over IPC (see lib/child.ts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocketServer } from 'ws';
import { openDatabase, type DatabaseHandle, type DatabaseTarget } from '../db/client';
import type { CollabConfig } from '../server/collab/config';
import { createCollabServer, type CollabServer } from '../server/collab/server';
import { serve } from './lib/child';
import { seedBench, storageOf, replaceWithLog, walPosition, type SeedSpec } from './lib/seed';

export interface ServerSpec {
  kind: 'stukwerk' | 'reference';
  port: number;
  database?: DatabaseTarget;
  authSecret?: string;
  collab?: Partial<CollabConfig>;
}

const spec = JSON.parse(process.env.BENCH_SERVER ?? '{}') as ServerSpec;
const eld = monitorEventLoopDelay({ resolution: 5 });
eld.enable();
let cpuMark = process.cpuUsage();
let wallMark = performance.now();
const commits = { delays: [] as number[], updates: 0, bytes: 0, flushes: 0, transactionMs: [] as number[] };

let database: DatabaseHandle | undefined;
let collab: CollabServer | undefined;
const httpServer = http.createServer((_req, res) => {
  res.writeHead(404);
  res.end();
});

async function start(): Promise<number> {
  if (spec.kind === 'stukwerk') {
    database = await openDatabase(spec.database!);
    collab = createCollabServer({
      ...spec.collab,
      db: database.db,
      authSecret: spec.authSecret!,
      log: (level, message, details) => {
        if (level === 'error') console.error(`[stukwerk] ${message}`, details ?? '');
      },
      onCommitted: (c) => {
        commits.flushes++;
        commits.updates += c.updates;
        commits.bytes += c.bytes;
        for (const d of c.delaysMs) commits.delays.push(d);
        commits.transactionMs.push(c.transactionMs);
      },
    });
    const server = collab;
    await collab.start(); // several processes (collab.redis): connected to Redis before the first client
    httpServer.on('upgrade', (req, socket, head) => {
      if (req.url?.startsWith('/collab/')) void server.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
  } else {
    // Imported only here: the reference keeps its documents in module-level state.
    const { setupWSConnection } = await import('@y/websocket-server/utils');
    const wss = new WebSocketServer({ noServer: true });
    httpServer.on('upgrade', (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) =>
        setupWSConnection(ws, req, { docName: (req.url ?? '/').slice(1).split('?')[0] }),
      );
    });
  }
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(spec.port, '127.0.0.1', () => resolve());
  });
  return (httpServer.address() as AddressInfo).port;
}

function forceGc() {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 4; i++) gc?.();
}

async function referenceDocCount(): Promise<number> {
  const { docs } = await import('@y/websocket-server/utils');
  return docs.size;
}

const port = await start();

serve(
  {
    info: () => ({ port, pid: process.pid }),
    seed: async (s: SeedSpec) => {
      if (!database) throw new Error('the reference server has no database');
      return seedBench(database.db, spec.authSecret!, s);
    },
    /** Event-loop delay, CPU and memory since the last reset. */
    metrics: async ({ reset = true }: { reset?: boolean } = {}) => {
      const cpu = process.cpuUsage(cpuMark);
      const wallMs = performance.now() - wallMark;
      const mem = process.memoryUsage();
      const out = {
        eldP50: eld.percentile(50) / 1e6,
        eldP99: eld.percentile(99) / 1e6,
        eldMax: eld.max / 1e6,
        cpuMs: (cpu.user + cpu.system) / 1000,
        wallMs,
        rss: mem.rss,
        heapUsed: mem.heapUsed,
        external: mem.external,
        documents: collab ? collab.documentCount : await referenceDocCount(),
        stats: collab ? { ...collab.stats } : undefined,
      };
      if (reset) {
        eld.reset();
        cpuMark = process.cpuUsage();
        wallMark = performance.now();
      }
      return out;
    },
    /** Memory after a full garbage collection. */
    memory: async () => {
      forceGc();
      await new Promise((r) => setTimeout(r, 50));
      forceGc();
      const mem = process.memoryUsage();
      return {
        rss: mem.rss,
        heapUsed: mem.heapUsed,
        external: mem.external,
        arrayBuffers: mem.arrayBuffers,
        documents: collab ? collab.documentCount : await referenceDocCount(),
      };
    },
    /** Durability: commit delays since the last call. */
    commits: async ({ flush = false }: { flush?: boolean } = {}) => {
      if (flush) await collab?.flush();
      const out = { ...commits };
      commits.delays = [];
      commits.transactionMs = [];
      commits.updates = commits.bytes = commits.flushes = 0;
      return out;
    },
    walPosition: () => (database ? walPosition(database.db) : 0),
    storage: (documentId: string) => storageOf(database!.db, documentId),
    /** Puts a document back to "template snapshot plus an uncompacted log of `updates`" (it must not be loaded). */
    replaceWithLog: async (args: { documentId: string; base: Uint8Array; updates: Uint8Array[] }) => {
      if (collab?.loadedDocument(args.documentId)) throw new Error('document is loaded');
      return replaceWithLog(database!.db, args.documentId, args.base, args.updates);
    },
    loaded: (documentId: string) => Boolean(collab?.loadedDocument(documentId)),
    /** Waits (bounded) until a document is unloaded: flushed, compacted and released. */
    waitUnloaded: async ({ documentId, timeoutMs = 30_000 }: { documentId: string; timeoutMs?: number }) => {
      const started = performance.now();
      while (collab?.loadedDocument(documentId) && performance.now() - started < timeoutMs)
        await new Promise((r) => setTimeout(r, 10));
      return { ms: performance.now() - started, documents: collab?.documentCount ?? 0 };
    },
    /** Server-side cold load of a document from storage (snapshot + log), without a client. */
    loadTime: async (documentId: string) => {
      const { loadDocument } = await import('../server/collab/persistence');
      const started = performance.now();
      const loaded = await loadDocument(database!.db, documentId);
      const ms = performance.now() - started;
      loaded?.ydoc.destroy();
      return { ms, logUpdates: loaded?.logUpdates ?? 0 };
    },
  },
  async () => {
    await collab?.close();
    httpServer.closeAllConnections();
    await new Promise((r) => httpServer.close(r));
    await database?.close();
  },
);
