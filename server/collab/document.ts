import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { DocumentStatus } from '../../db/schema';
import { sanitizeAwarenessUpdate } from './awareness';
import type { ClientConnection } from './connection';
import { awarenessMessage, encodeMessage, messageType, sessionMessage, syncStep, syncUpdateMessage, type SessionInfo } from './protocol';

export interface DocumentHooks {
  /** An update was accepted (applied): it must reach the update log. */
  accepted(doc: CollabDocument, update: Uint8Array): void;
  maxAwarenessStateBytes: number;
  log(level: 'info' | 'warn' | 'error', message: string, details?: unknown): void;
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
  lastSeq: number;
  logUpdates: number;
  logBytes: number;
  refusedUpdates = 0;
  /** Who changed the text since the last version, and whether anything did (for automatic versions). */
  readonly authorsSinceVersion = new Set<string>();
  changedSinceVersion = false;

  constructor(
    readonly id: string,
    readonly ydoc: Y.Doc,
    public status: DocumentStatus,
    loaded: { lastSeq: number; logUpdates: number; logBytes: number },
    private readonly hooks: DocumentHooks,
  ) {
    this.lastSeq = loaded.lastSeq;
    this.logUpdates = loaded.logUpdates;
    this.logBytes = loaded.logBytes;
    this.awareness = new awarenessProtocol.Awareness(ydoc);
    this.awareness.setLocalState(null); // the server itself is not a participant
    ydoc.on('update', this.onUpdate);
    this.awareness.on('update', this.onAwareness);
  }

  /** Encoded once, sent as the same buffer to every other connection. */
  private onUpdate = (update: Uint8Array, origin: unknown) => {
    this.changedSinceVersion = true;
    if (origin instanceof Object && 'user' in origin) this.authorsSinceVersion.add((origin as ClientConnection).user.id);
    this.hooks.accepted(this, update);
    const message = syncUpdateMessage(update);
    for (const conn of this.connections) if (conn !== origin) conn.send(message);
  };

  private onAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    const changed = added.concat(updated, removed);
    if (!changed.length) return;
    const message = awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    for (const conn of this.connections) if (conn !== origin) conn.send(message);
  };

  join(conn: ClientConnection): void {
    this.connections.add(conn);
    conn.send(encodeMessage(messageType.sync, (e) => syncProtocol.writeSyncStep1(e, this.ydoc)));
    const states = [...this.awareness.getStates().keys()];
    if (states.length) conn.send(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)));
  }

  leave(conn: ClientConnection): void {
    this.connections.delete(conn);
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
    if (!conn.canWrite(this.status)) {
      // Read-only: never applied, never relayed. An empty or already-known step 2 is the normal handshake.
      if (this.carriesNews(decoded)) {
        this.refusedUpdates++;
        this.hooks.log('warn', `refused an update from read-only ${conn.role} ${conn.user.id} on ${this.id}`);
      }
      return;
    }
    Y.applyUpdate(this.ydoc, update, conn);
  }

  /** Whether an update holds anything this document has not seen (a re-sent known update is harmless). */
  private carriesNews(decoded: ReturnType<typeof Y.decodeUpdate>): boolean {
    if (decoded.ds.clients.size > 0) return true;
    return decoded.structs.some((s) => s.id.clock + s.length > Y.getState(this.ydoc.store, s.id.client));
  }

  /** A role or status change takes effect on open connections at once, and they are told. */
  /**
   * Tells a connection its rights after a change. One that may write again gets a fresh sync step 1, so that its
   * answer (sync step 2) brings in whatever it typed while it was read-only and was refused then.
   */
  refreshRights(conn: ClientConnection, reason: SessionInfo['reason'], wasWritable: boolean, extra: Partial<SessionInfo> = {}): void {
    const writable = conn.canWrite(this.status);
    conn.send(sessionMessage({ role: conn.role, readOnly: !writable, status: this.status, reason, ...extra }));
    if (writable && !wasWritable) conn.send(encodeMessage(messageType.sync, (e) => syncProtocol.writeSyncStep1(e, this.ydoc)));
  }

  /** Sends one pre-encoded frame to every connection that passes `filter` (e.g. comment events). */
  broadcast(message: Uint8Array, filter: (conn: ClientConnection) => boolean = () => true): void {
    for (const conn of this.connections) if (filter(conn)) conn.send(message);
  }

  /** Takes effect for the next message any connection sends: callers rely on this being synchronous. */
  setStatus(status: DocumentStatus, extra: Partial<SessionInfo> = {}): void {
    const reason = status === 'signed_off' ? 'signed_off' : this.status === 'signed_off' ? 'reopened' : 'role';
    const before = this.status;
    this.status = status;
    for (const conn of this.connections) this.refreshRights(conn, reason, conn.canWrite(before), extra);
  }

  destroy(): void {
    this.ydoc.off('update', this.onUpdate);
    this.awareness.off('update', this.onAwareness);
    this.awareness.destroy();
    this.ydoc.destroy();
  }
}
