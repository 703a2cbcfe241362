/**
 * The y-websocket wire protocol (lib0 encoding), as the stock `y-websocket` client speaks it:
 *
 *   message  = varUint(type) payload
 *   type 0   sync: varUint(step) varUint8Array   step 0 = state vector (sync step 1),
 *                                                step 1 = missing updates (sync step 2), step 2 = an update
 *   type 1   awareness: varUint8Array(awareness update)
 *   type 3   query awareness (no payload): the server answers with every known awareness state
 *
 * Handshake: on connect the server sends its sync step 1 and the current awareness; the client answers with sync
 * step 2 (what the server lacks) and sends its own step 1, which the server answers with step 2. Then both sides
 * exchange updates.
 *
 * Stukwerk adds messages of its own, server → client only:
 *   type 100 session: varString(JSON {role, readOnly, status, reason?, signedOff?}): the connection's rights, sent
 *            when it joins (reason `connected`), when they change, and when one of its updates was refused
 *            (reason `refused`: the client then knows that what it holds locally will never reach the server; for
 *            a commenter or the chair: the update changed more than their own suggestions, server/collab/suggestion-guard.ts).
 *   type 101 comments: varString(JSON {type, …change, actorId, mentioned}): a comment change (server/comments/events.ts).
 *   type 102 rounds: varString(JSON {type, round, actorId}): a consultation round opened, answered or closed
 *            (common/rounds.ts `RoundEvent`; server/rounds/rounds.ts).
 * The stock client cannot parse them (it logs "Unable to compute message" for each), so they go only to clients that
 * announced on the WebSocket URL that they understand them: `?client=stukwerk&v=1` (see `clientCapabilities`).
 * Parameters in the query are ignored by servers that do not know them, so the announcement is safe everywhere.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { DocumentPolicy } from './policy';

export const messageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  session: 100,
  comments: 101,
  rounds: 102,
} as const;

export const syncStep = { step1: 0, step2: 1, update: 2 } as const;

/** The closes after which reconnecting cannot help: the browser stops and says why. */
export const endingCloseCodes = { 4401: 'unauthorized', 4403: 'forbidden' } as const;
export type EndReason = (typeof endingCloseCodes)[keyof typeof endingCloseCodes];

/** Close codes: the 4xxx ones mirror HTTP statuses, as in hocuspocus. */
export const closeCode = {
  /** No valid session on the upgrade request. */
  unauthorized: 4401,
  /** Signed in, but not (or no longer) a member of the document. */
  forbidden: 4403,
  /** The document does not exist (or the id is malformed); indistinguishable from forbidden for outsiders. */
  notFound: 4403,
  /** The server is shutting down; the client should reconnect. */
  goingAway: 1001,
  /** A frame that could not be decoded. */
  invalidPayload: 1007,
  /** A frame larger than maxMessageBytes (sent by `ws` itself). */
  tooBig: 1009,
  /** Too many queued messages, or too slow a reader. */
  tryAgainLater: 1013,
  /** The document failed to load. */
  internalError: 1011,
} as const;

export function encodeMessage(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export const syncUpdateMessage = (update: Uint8Array) =>
  encodeMessage(messageType.sync, (e) => {
    encoding.writeVarUint(e, syncStep.update);
    encoding.writeVarUint8Array(e, update);
  });

export const awarenessMessage = (update: Uint8Array) =>
  encodeMessage(messageType.awareness, (e) => encoding.writeVarUint8Array(e, update));

export interface SignedOffInfo {
  signedAt: string;
  signedBy: string;
  sha256: string;
  /** The meeting date from the metadata header (DATUM), for "Aldus vastgesteld … d.d."; may be empty. */
  meetingDate: string;
}

/** Type 100: the connection's rights, with why they are sent. */
export interface SessionInfo {
  role: string;
  readOnly: boolean;
  status: string;
  /** `locked`: the document moved to ready (ter vaststelling); like `signed_off`, writes in flight were refused by design. */
  reason?: 'connected' | 'role' | 'signed_off' | 'locked' | 'reopened' | 'refused';
  /** With a sign-off: who signed and when, for the closing line. */
  signedOff?: SignedOffInfo;
  /** Archived: read-only for everyone until an editor unarchives it (the reason is then `role`). */
  archived?: boolean;
  /** What this person may do now, computed by the server (the browser never re-derives it from the role). */
  can?: DocumentPolicy;
}

/** A server → client message of one of Stukwerk's own types, carrying JSON. */
export const jsonMessage = (type: number, payload: unknown) =>
  encodeMessage(type, (e) => encoding.writeVarString(e, JSON.stringify(payload)));

export const sessionMessage = (info: SessionInfo) => jsonMessage(messageType.session, info);

/** What a client announced it understands, on the query of its WebSocket URL. */
export interface ClientCapabilities {
  /** Message types 100 and up (session, comments). */
  customMessages: boolean;
}

/** The query parameters the Stukwerk browser client adds to announce that it understands types 100 and up. */
export const stukwerkClientParams = { client: 'stukwerk', v: '1' } as const;

/** Reads the announcement from the upgrade request's URL (path and query, as in `IncomingMessage.url`). */
export function clientCapabilities(url: string | undefined): ClientCapabilities {
  const query = new URL(url ?? '/', 'http://x').searchParams;
  const version = Number(query.get('v'));
  return {
    customMessages: query.get('client') === stukwerkClientParams.client && Number.isInteger(version) && version >= 1,
  };
}

/** Whether a frame is one of Stukwerk's own types, which a stock client cannot parse. */
export function isCustomMessage(frame: Uint8Array): boolean {
  return frame.length > 0 && decoding.readVarUint(decoding.createDecoder(frame)) >= messageType.session;
}
