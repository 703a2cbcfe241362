import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * Messages between Stukwerk processes on a document's Redis channel (`<prefix>doc:<documentId>`), binary:
 *
 *   varUint  format (1)
 *   varString origin process id   (a process ignores its own messages: nothing echoes)
 *   varUint  kind                 (relayKind below)
 *   varUint8Array payload         (Yjs update, awareness update or a pre-encoded frame; JSON text for the others)
 *
 * Pub/sub is the fast path only: a message may be lost (Redis restart, a blip), and the shared log in PostgreSQL
 * is what processes converge on (see cluster.ts, catch-up).
 */
export const relayKind = {
  /** A Yjs update accepted by the origin process (merged per event-loop turn). */
  update: 0,
  /** An awareness update of the origin's connections. */
  awareness: 1,
  /** A frame for every connection of the document (comment events, type 101). */
  frame: 2,
  /** `{status, extra?}`: the document's status changed; every process applies it at once. */
  status: 3,
  /** `{documentId, userId, role}`: a membership changed; connections of that person follow. */
  membership: 4,
  /** `{requestId}`: a sign-off is under way: refuse writes now, flush the log, then answer `flushed`. */
  freeze: 5,
  /** `{requestId}`: this process froze the document and its accepted updates are committed. */
  flushed: 6,
} as const;

export type RelayKind = (typeof relayKind)[keyof typeof relayKind];

export interface RelayMessage {
  origin: string;
  kind: RelayKind;
  payload: Uint8Array;
}

const FORMAT = 1;

export function encodeRelay(origin: string, kind: RelayKind, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, FORMAT);
  encoding.writeVarString(e, origin);
  encoding.writeVarUint(e, kind);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

export const encodeRelayJson = (origin: string, kind: RelayKind, value: unknown) =>
  encodeRelay(origin, kind, new TextEncoder().encode(JSON.stringify(value)));

/** Undefined for a message of another format (a newer process during a rolling upgrade): ignored, caught up later. */
export function decodeRelay(data: Uint8Array): RelayMessage | undefined {
  const d = decoding.createDecoder(data);
  if (decoding.readVarUint(d) !== FORMAT) return undefined;
  const origin = decoding.readVarString(d);
  const kind = decoding.readVarUint(d) as RelayKind;
  const payload = decoding.readVarUint8Array(d);
  return { origin, kind, payload };
}

export const relayJson = (m: RelayMessage): unknown => JSON.parse(new TextDecoder().decode(m.payload));
