import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { forwardRoundEvents } from '../rounds/round-events';
import {
  endingCloseCodes,
  messageType,
  stukwerkClientParams,
  type EndReason,
  type SessionInfo,
} from '@/common/protocol';

export type { EndReason, SessionInfo, SignedOffInfo } from '@/common/protocol';

/** `closed`: the server ended the connection for good (see `EndReason`); the provider no longer reconnects. */
export type ConnectionState = 'connected' | 'connecting' | 'offline' | 'closed';

/** A stock y-websocket provider on the same origin (the session cookie rides along), plus Stukwerk's own messages. */
export function connect(
  documentId: string,
  ydoc: Y.Doc,
  onSession: (info: SessionInfo) => void,
  onComments?: (event: unknown) => void,
): WebsocketProvider {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const provider = new WebsocketProvider(`${scheme}://${window.location.host}/collab`, documentId, ydoc, {
    maxBackoffTime: 5_000,
    params: { ...stukwerkClientParams },
  });
  provider.messageHandlers[messageType.session] = (_encoder, decoder) => {
    onSession(JSON.parse(decoding.readVarString(decoder)) as SessionInfo);
  };
  if (onComments) {
    provider.messageHandlers[messageType.comments] = (_encoder, decoder) =>
      onComments(JSON.parse(decoding.readVarString(decoder)));
  }
  forwardRoundEvents(provider, documentId);
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

/**
 * Calls `onEnd` once when the server has ended the connection for good, and stops the provider reconnecting (it
 * would otherwise show "opnieuw verbinden" forever): a close with 4401 (the session ended) or 4403 (not, or no
 * longer, a member). y-websocket itself stops after any 44xx close and reports it as `closed`.
 * A session that ended also shows up as the server refusing the upgrade (HTTP 401), which the browser reports only
 * as an abnormal close (1006), like a network failure. So after such a close while online, the session is asked
 * for, at most every `sessionCheckMs`.
 */
export function watchEnd(provider: WebsocketProvider, onEnd: (reason: EndReason) => void, sessionCheckMs = 10_000) {
  let ended = false;
  let disposed = false;
  let lastCheck = -Infinity;
  const end = (reason: EndReason) => {
    if (ended || disposed) return;
    ended = true;
    provider.disconnect();
    onEnd(reason);
  };
  const onClosed = ({ code }: { code: number }) => end(code === 4401 ? endingCloseCodes[4401] : endingCloseCodes[4403]);
  const onClose = (event: CloseEvent | null) => {
    if (event?.code !== 1006 || !navigator.onLine || Date.now() - lastCheck < sessionCheckMs) return;
    lastCheck = Date.now();
    hasSession().then(
      (signedIn) => signedIn || end('unauthorized'),
      (err: unknown) => console.warn('[collab] checking the session after a refused connection failed', err),
    );
  };
  provider.on('closed', onClosed);
  provider.on('connection-close', onClose);
  return {
    get ended() {
      return ended;
    },
    dispose() {
      disposed = true;
      provider.off('closed', onClosed);
      provider.off('connection-close', onClose);
    },
  };
}

/** next-auth answers `{}` for no session; anything unexpected counts as signed in (the connection keeps trying). */
async function hasSession(): Promise<boolean> {
  const res = await fetch('/api/auth/session', { cache: 'no-store' });
  if (!res.ok) return true;
  const body = (await res.json()) as { user?: unknown } | null;
  return Boolean(body?.user);
}
