import type { Database } from '../../db/client';
import type { CollabDocument } from './document';

/** Every tunable of the collaboration server, with its default in one place. */
export const collabDefaults = {
  /** Frames larger than this are refused by `ws` with close code 1009 (message too big). */
  maxMessageBytes: 16 * 1024 * 1024,
  /**
   * Group commit: one transaction per flush, flushes at least this far apart, each starting this long after the
   * oldest update it writes was accepted (so an update waits about this plus one commit; see update-log.ts).
   */
  flushDelayMs: 20,
  /**
   * One log row per document per flush (its updates merged). Off writes one row per update, as before the log was
   * made lean: kept only so the benchmark can show both in the same run (bench/scenarios/durability.ts).
   */
  mergeLogRows: true,
  /** Compact the log into a snapshot once it holds this many updates for a document… */
  compactAfterUpdates: 500,
  /** …or this many bytes. */
  compactAfterBytes: 4 * 1024 * 1024,
  /** Messages a connection may queue while its document loads; more closes it (1013, try again later). */
  maxQueuedMessages: 256,
  /** Bytes a slow reader may leave unsent in its socket before it is disconnected (1013). */
  maxBufferedBytes: 32 * 1024 * 1024,
  /** One awareness state (a person's caret and name) may not be larger than this. */
  maxAwarenessStateBytes: 16 * 1024,
  /** How often open connections' users are checked for deactivation (closed with 4401). */
  revalidateUsersMs: 30_000,
  /** A connection that sends nothing (not even a pong to our ping) for this long is dropped: a half-open socket. */
  connectionTimeoutMs: 60_000,
  /** How often every connection is pinged (browsers and `ws` answer pings by themselves). */
  pingIntervalMs: 15_000,
  /** Open collaboration connections one person may have at once (tabs, devices); more are refused with 429. */
  maxConnectionsPerUser: 50,
  /** After a failed unload (the database is away), the document stays loaded and unloading is tried again after this. */
  unloadRetryMs: 5_000,
  /** Time after the last connection closes before a document is flushed, compacted and released. */
  unloadDelayMs: 1_000,
  /** An automatic version is taken after this pause in editing… */
  versionIdleMs: 60_000,
  /** …and at least this often while editing goes on (only when something changed). */
  versionMaxIntervalMs: 5 * 60_000,
  /** Several processes: how often a held document reads the log rows other processes wrote (pub/sub may lose some). */
  catchUpIntervalMs: 1_000,
  /** Several processes: how long a sign-off waits for the other processes holding the document to freeze and flush. */
  freezeWaitMs: 2_000,
};

export type CollabConfig = typeof collabDefaults & {
  db: Database;
  authSecret: string;
  publicUrl?: string;
  /** Takes an automatic version of a document whose text changed (see server/versions). */
  onVersionDue?: (doc: CollabDocument) => Promise<void>;
  log?: CollabLog;
  /** Set: several processes share the database and exchange live changes through this Redis server (cluster.ts). */
  redis?: { url: string; channelPrefix?: string; processId?: string };
  /** Observability (benchmarks, metrics): after each group commit, how long each update waited from acceptance to commit. */
  onCommitted?: (commit: { updates: number; bytes: number; delaysMs: number[]; transactionMs: number }) => void;
};

/** The collaboration server's log: short lines; `details` is never a document's content or an update's bytes. */
export type CollabLog = (level: 'info' | 'warn' | 'error', message: string, details?: unknown) => void;
