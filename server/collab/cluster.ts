import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Database, Executor } from '../../db/client';
import type { DocumentStatus } from '../../db/schema';
import type { MembershipChange } from '../documents/members';
import { describeError } from '../errors';
import { appendLocked, compactLocked, lockLogs, readNewer, VERSION_LOCK, writeSnapshotLocked } from './cluster-log';
import type { CollabLog } from './config';
import type { CollabDocument } from './document';
import { remoteOrigin } from './origin';
import type { SessionInfo } from '../../common/protocol';
import { createRedisRelay } from './redis-relay';
import { decodeRelay, encodeRelay, encodeRelayJson, relayJson, relayKind, type RelayMessage } from './relay-message';

/** What the cluster needs of this process's collaboration server (given late: the registry is built after it). */
export interface LocalDocuments {
  loaded(documentId: string): CollabDocument | undefined;
  /** Applies a membership change to this process's connections only. */
  membershipChanged(change: MembershipChange): void;
  /** Commits everything this process accepted so far. */
  flush(): Promise<void>;
}

type Held = {
  doc: CollabDocument;
  /** Every log row of the document with seq ≤ applied is in `doc.ydoc` (cluster-log.ts, rule 2). */
  applied: number;
  /** This turn's accepted updates and changed awareness ids, published once at its end. */
  updates: Uint8Array[];
  awarenessIds: Set<number>;
  timer?: NodeJS.Immediate;
  /** When this process last accepted a change of it (for versions taken once across processes). */
  lastAcceptedAt: number;
  onAwareness: (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => void;
};

/**
 * Several Stukwerk processes on one PostgreSQL database (REDIS_URL). Each process holding a document subscribes
 * to its channel; what a process accepts (updates, awareness, events, status and membership changes) is published
 * there and applied by the others to their copies with the `remote` origin, so it reaches their connections but is
 * not logged twice. Convergence never depends on Redis: a process reads the log rows it has not applied (catch-up)
 * after subscribing, after Redis comes back, when its own append shows rows it has not seen, and every
 * `catchUpIntervalMs`.
 */
export function createCluster(options: {
  db: Database;
  redisUrl: string;
  channelPrefix: string;
  processId?: string;
  catchUpIntervalMs: number;
  freezeWaitMs: number;
  log: CollabLog;
}) {
  const { db, log } = options;
  const processId = options.processId ?? randomUUID();
  const held = new Map<string, Held>();
  const waiters = new Map<string, (origin: string) => void>();
  const stats = { caughtUpRows: 0, caughtUpSnapshots: 0, droppedLocked: 0 };
  let local: LocalDocuments | undefined;
  let catching: Promise<void> | undefined;
  let catchAgain = false;
  let closed = false;

  const channelOf = (documentId: string) => `${options.channelPrefix}doc:${documentId}`;
  const idOf = (channel: string) => channel.slice(`${options.channelPrefix}doc:`.length);

  const relay = createRedisRelay({
    url: options.redisUrl,
    log,
    onMessage: (channel, data) => {
      try {
        const message = decodeRelay(data);
        if (message && message.origin !== processId) receive(idOf(channel), message);
      } catch (err) {
        log('warn', `a malformed message on ${channel} was ignored`, describeError(err));
      }
    },
    onReconnect: () => requestCatchUp(),
  });

  function publish(documentId: string, data: Uint8Array) {
    relay.publish(channelOf(documentId), data);
  }

  function receive(documentId: string, message: RelayMessage) {
    const h = held.get(documentId);
    switch (message.kind) {
      case relayKind.update:
        if (h) Y.applyUpdate(h.doc.ydoc, message.payload, remoteOrigin);
        return;
      case relayKind.awareness:
        if (h) awarenessProtocol.applyAwarenessUpdate(h.doc.awareness, message.payload, remoteOrigin);
        return;
      case relayKind.frame:
        h?.doc.broadcast(message.payload);
        return;
      case relayKind.status: {
        const { status, extra } = relayJson(message) as { status: DocumentStatus; extra?: Partial<SessionInfo> };
        if (h && (h.doc.status !== status || extra)) h.doc.setStatus(status, extra);
        return;
      }
      case relayKind.membership:
        local?.membershipChanged(relayJson(message) as MembershipChange);
        return;
      case relayKind.freeze: {
        // `status`: the lock being decided (`ready` or `signed_off`; older senders only froze for a sign-off).
        const { requestId, status = 'signed_off' } = relayJson(message) as {
          requestId: string;
          status?: DocumentStatus;
        };
        if (!h) return; // not held here: nothing to freeze or flush
        if (h.doc.status !== status && h.doc.status !== 'signed_off') h.doc.setStatus(status);
        flushOwn(h);
        local!.flush().then(
          () => publish(documentId, encodeRelayJson(processId, relayKind.flushed, { requestId })),
          (err: unknown) =>
            log(
              'error',
              `flushing ${documentId} for a sign-off failed; the signer's wait will end`,
              describeError(err),
            ),
        );
        return;
      }
      case relayKind.flushed: {
        const { requestId } = relayJson(message) as { requestId: string };
        waiters.get(requestId)?.(message.origin);
        return;
      }
    }
  }

  /** Publishes what this process accepted during the turn: one merged update, one awareness message. */
  function flushOwn(h: Held) {
    if (h.timer) clearImmediate(h.timer);
    h.timer = undefined;
    if (h.updates.length) {
      const update = h.updates.length === 1 ? h.updates[0]! : Y.mergeUpdates(h.updates);
      h.updates = [];
      publish(h.doc.id, encodeRelay(processId, relayKind.update, update));
    }
    if (h.awarenessIds.size && !h.doc.destroyed) {
      const ids = [...h.awarenessIds];
      h.awarenessIds.clear();
      publish(
        h.doc.id,
        encodeRelay(processId, relayKind.awareness, awarenessProtocol.encodeAwarenessUpdate(h.doc.awareness, ids)),
      );
    }
  }

  /** Applies log rows (and snapshots other processes wrote) this process has not applied. */
  function applyNewer(found: Awaited<ReturnType<typeof readNewer>>) {
    for (const [id, snapshot] of found.snapshots) {
      const h = held.get(id);
      if (!h || h.doc.destroyed) continue;
      Y.applyUpdate(h.doc.ydoc, snapshot.state, remoteOrigin);
      h.applied = Math.max(h.applied, snapshot.lastSeq);
      stats.caughtUpSnapshots++;
    }
    for (const row of found.rows) {
      const h = held.get(row.documentId);
      if (!h || h.doc.destroyed) continue;
      Y.applyUpdate(h.doc.ydoc, row.update, remoteOrigin);
      h.applied = Math.max(h.applied, row.seq);
      stats.caughtUpRows++;
    }
  }

  async function catchUpNow(executor: Executor, ids: string[]): Promise<void> {
    const applied = new Map(ids.flatMap((id) => (held.has(id) ? [[id, held.get(id)!.applied] as const] : [])));
    applyNewer(await readNewer(executor, applied));
  }

  /** One catch-up of every held document at a time; a request meanwhile runs once more after it. Never rejects. */
  function catchUpSoon(): Promise<void> {
    if (catching) {
      catchAgain = true;
      return catching;
    }
    catching = (async () => {
      do {
        catchAgain = false;
        if (closed || !held.size) break;
        try {
          await catchUpNow(db, [...held.keys()]);
        } catch (err) {
          log('warn', 'catching up from the log failed; tried again shortly', describeError(err));
          break;
        }
      } while (catchAgain);
    })().finally(() => (catching = undefined));
    return catching;
  }

  /** For timers and events: catchUpSoon logs its failures and never rejects; the catch keeps that visible. */
  function requestCatchUp(): void {
    catchUpSoon().catch(() => {});
  }

  const interval = setInterval(requestCatchUp, options.catchUpIntervalMs);
  interval.unref();

  return {
    processId,
    stats,
    relayStats: relay.stats,
    attach(documents: LocalDocuments) {
      local = documents;
    },
    connect: () => relay.connect(),

    /**
     * A document was loaded: subscribe, then read what the log gained meanwhile. `snapshotSeq` is the seq of the
     * snapshot the load started from (not the highest row it read: a compaction during the load may have deleted
     * rows below that, and only the snapshot it wrote, found by catch-up, holds them).
     */
    async hold(doc: CollabDocument, snapshotSeq: number): Promise<void> {
      const h: Held = {
        doc,
        applied: snapshotSeq,
        updates: [],
        awarenessIds: new Set(),
        lastAcceptedAt: 0,
        onAwareness: ({ added, updated, removed }, origin) => {
          if (origin === remoteOrigin) return;
          for (const id of [...added, ...updated, ...removed]) h.awarenessIds.add(id);
          h.timer ??= setImmediate(() => flushOwn(h));
        },
      };
      held.set(doc.id, h);
      doc.awareness.on('update', h.onAwareness);
      // Subscribing waits while Redis is away; loading does not: catch-up runs now and again once subscribed.
      relay.subscribe(channelOf(doc.id)).then(
        () => requestCatchUp(),
        (err: unknown) => log('warn', `subscribing to ${doc.id} failed; the log keeps it current`, describeError(err)),
      );
      await catchUpNow(db, [doc.id]);
    },

    release(doc: CollabDocument) {
      const h = held.get(doc.id);
      if (!h || h.doc !== doc) return;
      flushOwn(h);
      doc.awareness.off('update', h.onAwareness);
      held.delete(doc.id);
      relay
        .unsubscribe(channelOf(doc.id))
        .catch((err: unknown) => log('warn', `unsubscribing ${doc.id} failed`, describeError(err)));
    },

    /** An update this process accepted (never a remote one): published at the end of the turn. */
    accepted(doc: CollabDocument, update: Uint8Array) {
      const h = held.get(doc.id);
      if (!h || h.doc !== doc) return;
      h.lastAcceptedAt = Date.now();
      h.updates.push(update);
      h.timer ??= setImmediate(() => flushOwn(h));
    },

    /** Writes one flush's rows (one per document) under the log locks; advances `applied` where that is safe. */
    async append(rows: { documentId: string; update: Uint8Array }[]): Promise<number[]> {
      const result = await appendLocked(db, rows);
      let unseen = false;
      rows.forEach((row, i) => {
        const seq = result.seqs[i]!;
        const h = held.get(row.documentId);
        if (!seq || !h) return;
        // Nothing newer than `applied` was in the log before this row: the copy still holds the whole log.
        if ((result.before.get(row.documentId) ?? 0) <= h.applied) h.applied = Math.max(h.applied, seq);
        else unseen = true;
      });
      for (const [id, status] of result.locked) {
        stats.droppedLocked++;
        log('warn', `updates for ${id} accepted before this process learned that its text is locked were not stored`);
        const h = held.get(id);
        if (h && h.doc.status !== status) h.doc.setStatus(status);
      }
      if (unseen) requestCatchUp();
      return result.seqs;
    },

    /** Compaction across processes (cluster-log.ts): undefined when another process compacts or it is signed off. */
    compact(doc: CollabDocument) {
      return compactLocked(db, doc.id, doc.ydoc, async (tx) => {
        await catchUpNow(tx, [doc.id]);
        return held.get(doc.id)?.applied ?? 0;
      });
    },

    /**
     * Inside the sign-off transaction: takes the log lock, applies every row this copy lacks, and returns a
     * function that, once the signed version is captured from the copy, makes it the snapshot and folds the log.
     */
    async catchUpLocked(tx: Executor, doc: CollabDocument) {
      await lockLogs(tx, [doc.id]);
      await catchUpNow(tx, [doc.id]);
      const upToSeq = held.get(doc.id)?.applied ?? 0;
      return { upToSeq, writeSnapshot: () => writeSnapshotLocked(tx, doc.id, doc.ydoc, upToSeq) };
    },

    /**
     * Tells every other process holding the document to refuse writes and commit what it accepted, and waits for
     * their answers, at most `freezeWaitMs`: a process that does not answer by then is treated as gone (its later
     * appends are dropped under the log lock once the sign-off has committed).
     */
    async freezeEverywhere(
      documentId: string,
      status: 'ready' | 'signed_off' = 'signed_off',
    ): Promise<{ asked: number; answered: number }> {
      const channel = channelOf(documentId);
      const requestId = randomUUID();
      const answered = new Set<string>();
      let asked = 0;
      try {
        asked = Math.max(0, (await relay.subscribers(channel)) - (held.has(documentId) ? 1 : 0));
      } catch (err) {
        log('warn', `counting the processes holding ${documentId} failed; waiting the full bound`, describeError(err));
        asked = Number.POSITIVE_INFINITY;
      }
      if (asked === 0) return { asked, answered: 0 };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.freezeWaitMs);
        waiters.set(requestId, (origin) => {
          answered.add(origin);
          if (answered.size >= asked) {
            clearTimeout(timer);
            resolve();
          }
        });
        publish(documentId, encodeRelayJson(processId, relayKind.freeze, { requestId, status }));
      });
      waiters.delete(requestId);
      return { asked: Number.isFinite(asked) ? asked : -1, answered: answered.size };
    },

    publishStatus(documentId: string, status: DocumentStatus, extra?: Partial<SessionInfo>) {
      publish(documentId, encodeRelayJson(processId, relayKind.status, { status, extra }));
    },
    publishMembership(change: MembershipChange) {
      publish(change.documentId, encodeRelayJson(processId, relayKind.membership, change));
    },
    publishFrame(documentId: string, frame: Uint8Array) {
      publish(documentId, encodeRelay(processId, relayKind.frame, frame));
    },

    /**
     * An automatic version, once across processes: under a try-lock per document, and skipped when a version
     * newer than this process's last accepted change exists already (another process took it, with these changes).
     * Taken from this process's copy after catching it up from the log.
     */
    async versionOnce(doc: CollabDocument, take: (doc: CollabDocument) => Promise<void>): Promise<void> {
      const lastAcceptedAt = held.get(doc.id)?.lastAcceptedAt ?? Date.now();
      await db.transaction(async (tx) => {
        const [won] = (
          (await tx.execute(
            sql`select pg_try_advisory_xact_lock(${VERSION_LOCK}, hashtext(${doc.id})) as ok`,
          )) as unknown as { rows: { ok: boolean }[] }
        ).rows;
        if (!won?.ok) return;
        const [latest] = (
          (await tx.execute(
            sql`select max(created_at) as at from document_versions where document_id = ${doc.id}::uuid`,
          )) as unknown as {
            rows: { at: Date | string | null }[];
          }
        ).rows;
        if (latest?.at && new Date(latest.at).getTime() >= lastAcceptedAt) {
          doc.startVersionPeriod();
          return;
        }
        // What other processes committed and Redis has not brought yet is read from the log first, so the version
        // holds every change stored until now (not those another process accepted but has not committed yet).
        await catchUpNow(tx, [doc.id]);
        await take(doc);
      });
    },

    async close(): Promise<void> {
      closed = true;
      clearInterval(interval);
      for (const h of held.values()) flushOwn(h);
      await catching;
      await relay.close();
    },
  };
}

export type Cluster = ReturnType<typeof createCluster>;
