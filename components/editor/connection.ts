import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';

/** Mirrors server/collab/protocol.ts: type 100 carries the connection's rights after a change, 101 comment events. */
export const sessionMessageType = 100;
export interface SignedOffInfo {
  signedAt: string;
  signedBy: string;
  sha256: string;
  /** The meeting date from the metadata header (DATUM), for "Aldus vastgesteld … d.d."; may be empty. */
  meetingDate: string;
}

export const commentsMessageType = 101;
export interface SessionInfo {
  role: string;
  readOnly: boolean;
  status: string;
  reason?: 'role' | 'signed_off' | 'reopened';
  signedOff?: SignedOffInfo;
}

export type ConnectionState = 'connected' | 'connecting' | 'offline';

/** A stock y-websocket provider on the same origin (the session cookie rides along), plus Stukwerk's own messages. */
export function connect(
  documentId: string,
  ydoc: Y.Doc,
  onSession: (info: SessionInfo) => void,
  onComments?: (event: unknown) => void,
): WebsocketProvider {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const provider = new WebsocketProvider(`${scheme}://${window.location.host}/collab`, documentId, ydoc, { maxBackoffTime: 5_000 });
  provider.messageHandlers[sessionMessageType] = (_encoder, decoder) => {
    onSession(JSON.parse(decoding.readVarString(decoder)) as SessionInfo);
  };
  if (onComments) {
    provider.messageHandlers[commentsMessageType] = (_encoder, decoder) => onComments(JSON.parse(decoding.readVarString(decoder)));
  }
  return provider;
}

/**
 * Whether something typed here may not have reached the server yet: changes made while not connected and synced,
 * or still sitting in the socket's send buffer. The y-websocket protocol has no acknowledgements; after a
 * reconnect, the sync handshake re-sends whatever the server lacks.
 */
export function trackUnsynced(provider: WebsocketProvider, ydoc: Y.Doc) {
  let dirtyWhileAway = false;
  const onUpdate = (_u: Uint8Array, origin: unknown) => {
    if (origin !== provider && !(provider.wsconnected && provider.synced)) dirtyWhileAway = true;
  };
  const onSync = (synced: boolean) => {
    if (synced) dirtyWhileAway = false;
  };
  ydoc.on('update', onUpdate);
  provider.on('sync', onSync);
  return {
    hasUnsynced: () => dirtyWhileAway || (provider.ws?.bufferedAmount ?? 0) > 0,
    dispose: () => {
      ydoc.off('update', onUpdate);
      provider.off('sync', onSync);
    },
  };
}
