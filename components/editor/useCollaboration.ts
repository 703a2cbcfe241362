'use client';
import { useEffect, useRef, useState } from 'react';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { connect, trackUnsynced, type ConnectionState, type SessionInfo } from './connection';
import type { Participant } from './Presence';

/**
 * One Y.Doc and one y-websocket provider per mounted editor, created in an effect (and destroyed in its cleanup)
 * so that React's double-invoked effects in development never reuse a destroyed provider. State that the
 * provider may have reached before the listeners were attached is read from it directly.
 */
export function useCollaboration(documentId: string, initial: SessionInfo, onComments?: (event: unknown) => void) {
  // The provider lives as long as the document is open; the latest handler is read through a ref.
  const onCommentsRef = useRef(onComments);
  onCommentsRef.current = onComments;
  const [conn, setConn] = useState<{ ydoc: Y.Doc; provider: WebsocketProvider }>();
  const [session, setSession] = useState<SessionInfo>(initial);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [synced, setSynced] = useState(false);
  const [participants, setParticipants] = useState<Participant[]>([]);
  // Bumped at a sign-off: the editor then starts over from the server's frozen state, so nobody keeps seeing
  // keystrokes that arrived after the sign-off and were refused.
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const ydoc = new Y.Doc();
    const provider = connect(
      documentId,
      ydoc,
      (info) => {
        setSession(info);
        if (info.reason === 'signed_off') setGeneration((g) => g + 1);
      },
      (event) => onCommentsRef.current?.(event),
    );
    const readConnection = () => setConnection(!navigator.onLine ? 'offline' : provider.wsconnected ? 'connected' : 'connecting');
    const readSynced = () => setSynced(provider.synced);
    const readParticipants = () =>
      setParticipants(
        [...provider.awareness.getStates().entries()]
          .map(([clientId, state]) => ({ clientId, ...(state.user as Omit<Participant, 'clientId'>) }))
          .filter((p) => p.name),
      );
    const unsynced = trackUnsynced(provider, ydoc);
    // The browser asks before leaving while typed text has not reached the server.
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (unsynced.hasUnsynced()) e.preventDefault();
    };
    provider.on('status', readConnection);
    provider.on('sync', readSynced);
    provider.awareness.on('change', readParticipants);
    window.addEventListener('offline', readConnection);
    window.addEventListener('online', readConnection);
    window.addEventListener('beforeunload', beforeUnload);
    readConnection();
    readSynced();
    setConn({ ydoc, provider });
    return () => {
      provider.off('status', readConnection);
      provider.off('sync', readSynced);
      provider.awareness.off('change', readParticipants);
      window.removeEventListener('offline', readConnection);
      window.removeEventListener('online', readConnection);
      window.removeEventListener('beforeunload', beforeUnload);
      unsynced.dispose();
      provider.destroy();
      ydoc.destroy();
    };
  }, [documentId, generation]);

  return { ...conn, session, connection, synced, participants };
}
