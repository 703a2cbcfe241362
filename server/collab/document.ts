import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { DocumentStatus } from '../../db/schema';
import { sanitizeAwarenessUpdate } from './awareness';
import { policyFor } from '../../common/policy';
import type { CollabLog } from './config';
import type { ClientConnection } from './connection';
import { authorOf, isRemote } from './origin';
import { SuggestionGuard } from './suggestion-guard';
import {
  awarenessMessage,
  encodeMessage,
  messageType,
  sessionMessage,
  syncStep,
  syncUpdateMessage,
  type SessionInfo,
} from '../../common/protocol';

export interface DocumentHooks {
  /** An update was accepted (applied): it must reach the update log. */
  accepted(doc: CollabDocument, update: Uint8Array): void;
  maxAwarenessStateBytes: number;
  log: CollabLog;
}

/**
 * One loaded document: its Y.Doc, its awareness and its connections. Every write check happens here, per
 * message: a connection that may not write never gets an update applied or relayed.
 */
export class CollabDocument {
  readonly connections = new Set<ClientConnection>();
  readonly awareness: awarenessProtocol.Awareness;
  /** Awareness client id → the connection that claimed it. */
  private readonly awarenessOwners = new Map<number, ClientConnection>();
  /** Highest flushed log seq (every update up to it is in `ydoc`); compaction may drop the log up to here. */
  private lastSeq: number;
  /** Log rows (and their bytes) written for this document and not yet compacted into its snapshot. */
  private logUpdates: number;
  private logBytes: number;
  refusedUpdates = 0;
  /** Checks the updates of connections that may only suggest, on a shadow copy kept in step while they are here. */
  readonly suggestions: SuggestionGuard;
  /** Set while a checked update is applied: the shadow holds it already. */
  private applyingChecked = false;
  /** Who changed the text since the last version, and whether anything did (for automatic versions). */
  private readonly authors = new Set<string>();
  private changed = false;
  /** Fan-out queue: what was accepted during this turn of the event loop, sent once at its end (see `flushBroadcast`). */
  private pendingUpdates: Uint8Array[] = [];
  private pendingOrigins = new Set<unknown>();
  private readonly pendingAwareness = new Set<number>();
  private flushTimer: NodeJS.Immediate | undefined;

  /** Archived: read-only for every connection, whatever the status (see `setStatus` with `{archived}`). */
  archived: boolean;

  constructor(
    readonly id: string,
    readonly ydoc: Y.Doc,
    public status: DocumentStatus,
    loaded: { lastSeq: number; logUpdates: number; logBytes: number; archived?: boolean },
    private readonly hooks: DocumentHooks,
  ) {
    this.archived = loaded.archived ?? false;
    this.lastSeq = loaded.lastSeq;
    this.logUpdates = loaded.logUpdates;
    this.logBytes = loaded.logBytes;
    this.awareness = new awarenessProtocol.Awareness(ydoc);
    this.suggestions = new SuggestionGuard(ydoc);
    this.awareness.setLocalState(null); // the server itself is not a participant
    ydoc.on('update', this.onUpdate);
    this.awareness.on('update', this.onAwareness);
  }

  private onUpdate = (update: Uint8Array, origin: unknown) => {
    if (!this.applyingChecked) this.suggestions.mirror(update);
    // A remote change (another process accepted it, and logs it) is only relayed to this process's connections.
    if (!isRemote(origin)) {
      this.changed = true;
      const author = authorOf(origin);
      if (author) this.authors.add(author);
      this.hooks.accepted(this, update);
    }
    this.pendingUpdates.push(update);
    this.pendingOrigins.add(origin);
    this.flushTimer ??= setImmediate(this.flushBroadcast);
  };

  private onAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
    for (const id of added) this.pendingAwareness.add(id);
    for (const id of updated) this.pendingAwareness.add(id);
    for (const id of removed) this.pendingAwareness.add(id);
    if (this.pendingAwareness.size) this.flushTimer ??= setImmediate(this.flushBroadcast);
  };

  /**
   * Fan-out. Sending every update to every connection one by one is N² messages when everyone types; instead, the
   * updates accepted during one turn of the event loop are merged into one message, and the awareness states that
   * changed into another, each encoded once and sent as the same buffer to every connection. At light load a turn
   * holds one update, so nothing waits; under load the batches grow by themselves, and so does the saving.
   * A sole author does not get its own update back; when several wrote, each gets the merged message (Yjs skips
   * what it already has). Awareness goes to every connection, its sender included, as in y-websocket: the stock
   * client counts it as a sign of life and would otherwise reconnect after 30 s alone in a document.
   */
  flushBroadcast = () => {
    if (this.flushTimer) clearImmediate(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pendingUpdates.length) {
      const updates = this.pendingUpdates;
      const origins = this.pendingOrigins;
      this.pendingUpdates = [];
      this.pendingOrigins = new Set();
      const message = syncUpdateMessage(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates));
      const only = origins.size === 1 ? origins.values().next().value : undefined;
      for (const conn of this.connections) if (conn.origin !== only) conn.send(message);
    }
    if (this.pendingAwareness.size) {
      const ids = [...this.pendingAwareness];
      this.pendingAwareness.clear();
      const message = awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids));
      for (const conn of this.connections) conn.send(message);
    }
  };

  /**
   * The server's half of the handshake. The session message follows sync step 1 and precedes anything the client
   * sent meanwhile (queued by the caller), so a client whose rights changed while it was offline learns it before
   * its answer, holding what it typed offline, can be refused.
   */
  join(conn: ClientConnection): void {
    this.connections.add(conn);
    conn.send(encodeMessage(messageType.sync, (e) => syncProtocol.writeSyncStep1(e, this.ydoc)));
    conn.send(this.sessionFor(conn, 'connected'));
    const states = [...this.awareness.getStates().keys()];
    if (states.length) conn.send(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)));
  }

  leave(conn: ClientConnection): void {
    this.connections.delete(conn);
    this.dropShadowIfUnused();
    const ids = [...conn.awarenessIds].filter((id) => this.awarenessOwners.get(id) === conn);
    ids.forEach((id) => this.awarenessOwners.delete(id));
    if (ids.length) awarenessProtocol.removeAwarenessStates(this.awareness, ids, conn);
  }

  /** Handles one frame; throws on a malformed one (the caller closes only that connection). */
  receive(conn: ClientConnection, data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case messageType.sync:
        return this.receiveSync(conn, decoder);
      case messageType.awareness: {
        const raw = decoding.readVarUint8Array(decoder);
        const { update, clientIds } = sanitizeAwarenessUpdate(
          raw,
          conn.user,
          (id) => (this.awarenessOwners.get(id) ?? conn) === conn,
          this.hooks.maxAwarenessStateBytes,
        );
        clientIds.forEach((id) => (this.awarenessOwners.set(id, conn), conn.awarenessIds.add(id)));
        if (clientIds.length) awarenessProtocol.applyAwarenessUpdate(this.awareness, update, conn);
        return;
      }
      case messageType.queryAwareness: {
        const states = [...this.awareness.getStates().keys()];
        conn.send(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)));
        return;
      }
      case messageType.auth:
        return; // the y-websocket auth message is server → client only
      default:
        throw new Error(`unknown message type ${type}`);
    }
  }

  private receiveSync(conn: ClientConnection, decoder: decoding.Decoder): void {
    const step = decoding.readVarUint(decoder);
    if (step === syncStep.step1) {
      const stateVector = decoding.readVarUint8Array(decoder);
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, messageType.sync);
      syncProtocol.writeSyncStep2(encoder, this.ydoc, stateVector);
      conn.send(encoding.toUint8Array(encoder));
      return;
    }
    if (step !== syncStep.step2 && step !== syncStep.update) throw new Error(`unknown sync step ${step}`);
    const update = decoding.readVarUint8Array(decoder);
    // Decoding first rejects a malformed update before it can touch the document.
    const decoded = Y.decodeUpdate(update);
    if (this.suggests(conn)) return this.receiveSuggestion(conn, decoded, update);
    if (!this.writable(conn)) {
      // Read-only: never applied, never relayed. An empty or already-known step 2 is the normal handshake. Anything
      // else is text the client holds and the server will never take (typed offline before a downgrade, or in
      // flight at a sign-off): the client is told, so it can drop its local copy instead of keeping it forever.
      if (this.carriesNews(decoded, update)) {
        this.refusedUpdates++;
        this.hooks.log('warn', `refused an update from read-only ${conn.role} ${conn.user.id} on ${this.id}`);
        conn.send(this.sessionFor(conn, 'refused'));
      }
      return;
    }
    Y.applyUpdate(this.ydoc, update, conn.origin);
  }

  /**
   * A commenter's or the chair's update: applied (and so logged and relayed) only if it changes nothing but their
   * own suggestions, checked on the shadow copy; otherwise refused exactly like a read-only write.
   */
  private receiveSuggestion(conn: ClientConnection, decoded: ReturnType<typeof Y.decodeUpdate>, update: Uint8Array) {
    if (decoded.structs.length === 0 && decoded.ds.clients.size === 0) return; // an empty sync step 2
    const verdict = this.suggestions.check(update, conn.user.id);
    if (!verdict.ok) {
      this.refusedUpdates++;
      this.hooks.log('warn', `refused an update from ${conn.role} ${conn.user.id} on ${this.id}: ${verdict.reason}`);
      conn.send(this.sessionFor(conn, 'refused'));
      return;
    }
    this.applyingChecked = true;
    try {
      Y.applyUpdate(this.ydoc, update, conn.origin);
    } finally {
      this.applyingChecked = false;
    }
  }

  /** The shadow copy costs a second document in memory: kept only while someone who suggests is connected. */
  private dropShadowIfUnused(): void {
    if (![...this.connections].some((c) => this.suggests(c))) this.suggestions.drop();
  }

  /**
   * Whether an update holds anything this document has not seen (a re-sent known update is harmless). The structs
   * are checked against the state vector first (cheap); only an update whose structs are all known but that deletes
   * something is compared with the document's delete set, which is computed from the whole document. A client's
   * sync step 2 always carries its full delete set, so "has deletions" alone would flag every normal handshake.
   */
  private carriesNews(decoded: ReturnType<typeof Y.decodeUpdate>, update: Uint8Array): boolean {
    if (decoded.structs.some((s) => s.id.clock + s.length > Y.getState(this.ydoc.store, s.id.client))) return true;
    if (decoded.ds.clients.size === 0) return false;
    return !Y.snapshotContainsUpdate(Y.snapshot(this.ydoc), update);
  }

  private sessionFor(
    conn: ClientConnection,
    reason: SessionInfo['reason'],
    extra: Partial<SessionInfo> = {},
  ): Uint8Array {
    return sessionMessage({
      role: conn.role,
      readOnly: !this.writable(conn),
      status: this.status,
      reason,
      ...(this.archived ? { archived: true } : {}),
      can: policyFor(conn.role, this.status, this.archived),
      ...extra,
    });
  }

  /** A log row of this document was committed: it may be compacted into the snapshot from now on. */
  recordFlushed(seq: number, bytes: number): void {
    this.lastSeq = Math.max(this.lastSeq, seq);
    this.logUpdates++;
    this.logBytes += bytes;
  }

  /** The log as it stands, for a compaction: every row up to `upToSeq` is in `ydoc`. */
  logPosition() {
    return { upToSeq: this.lastSeq, updates: this.logUpdates, bytes: this.logBytes };
  }

  /** A compaction absorbed what `logPosition()` reported; rows committed since then stay counted. */
  recordCompacted(absorbed: { updates: number; bytes: number }): void {
    this.logUpdates = Math.max(0, this.logUpdates - absorbed.updates);
    this.logBytes = Math.max(0, this.logBytes - absorbed.bytes);
  }

  needsCompaction(limits: { updates: number; bytes: number }): boolean {
    return this.logUpdates >= limits.updates || this.logBytes >= limits.bytes;
  }

  get hasLog(): boolean {
    return this.logUpdates > 0;
  }

  /** Whether the text changed since the last version (automatic, named, signed or restore). */
  get changedSinceVersion(): boolean {
    return this.changed;
  }

  /** Who changed the text since the last version (without ending the period). */
  get authorsSinceVersion(): readonly string[] {
    return [...this.authors];
  }

  /** A version was taken: a new period starts. Returns the authors of the one that ended. */
  startVersionPeriod(): string[] {
    const authors = [...this.authors];
    this.authors.clear();
    this.changed = false;
    return authors;
  }

  /**
   * A role or status change takes effect on open connections at once, and they are told: this tells a connection its
   * rights after a change. One that may write again gets a fresh sync step 1, so that its
   * answer (sync step 2) brings in whatever it typed while it was read-only and was refused then.
   */
  refreshRights(
    conn: ClientConnection,
    reason: SessionInfo['reason'],
    wasWritable: boolean,
    extra: Partial<SessionInfo> = {},
  ): void {
    this.flushBroadcast(); // what was accepted before the change reaches everyone before the notice
    // Someone who may suggest sends updates too (checked ones): they also get a fresh step 1 to re-send refused ones.
    const writable = this.writable(conn) || this.suggests(conn);
    conn.send(this.sessionFor(conn, reason, extra));
    if (writable && !wasWritable)
      conn.send(encodeMessage(messageType.sync, (e) => syncProtocol.writeSyncStep1(e, this.ydoc)));
  }

  /** Sends one pre-encoded frame to every connection that passes `filter` (e.g. comment events). */
  broadcast(message: Uint8Array, filter: (conn: ClientConnection) => boolean = () => true): void {
    this.flushBroadcast();
    for (const conn of this.connections) if (filter(conn)) conn.send(message);
  }

  /** Takes effect for the next message any connection sends: callers rely on this being synchronous. */
  /** Whether this connection's updates are applied now: its role and the status allow it, and not archived. */
  writable(conn: ClientConnection): boolean {
    return !this.archived && conn.canWrite(this.status);
  }

  /** May this connection send suggestions (checked, never plain edits)? Not on an archived document either. */
  suggests(conn: ClientConnection): boolean {
    return !this.archived && conn.suggestsOnly(this.status);
  }

  /** `extra.archived` archives or unarchives the document in the same synchronous step. */
  setStatus(status: DocumentStatus, extra: Partial<SessionInfo> = {}): void {
    const reason =
      status === 'signed_off'
        ? 'signed_off'
        : status === 'ready'
          ? 'locked'
          : this.status === 'signed_off'
            ? 'reopened'
            : 'role';
    const before = new Map([...this.connections].map((conn) => [conn, this.writable(conn) || this.suggests(conn)]));
    this.status = status;
    if (extra.archived !== undefined) this.archived = extra.archived;
    for (const conn of this.connections) this.refreshRights(conn, reason, before.get(conn) ?? false, extra);
    this.dropShadowIfUnused();
  }

  private isDestroyed = false;
  get destroyed(): boolean {
    return this.isDestroyed;
  }

  destroy(): void {
    this.isDestroyed = true;
    this.suggestions.drop();
    if (this.flushTimer) clearImmediate(this.flushTimer);
    this.flushTimer = undefined;
    this.ydoc.off('update', this.onUpdate);
    this.awareness.off('update', this.onAwareness);
    this.awareness.destroy();
    this.ydoc.destroy();
  }
}
