'use client';
import { useEffect, useRef, useState } from 'react';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { connect, trackUnsynced, watchEnd, type ConnectionState, type EndReason, type SessionInfo } from './connection';
import { offlineStoreName, openOfflineStore } from './offline-store';
import type { Participant } from './Presence';

/**
 * One Y.Doc, one y-websocket provider and one offline store (IndexedDB) per mounted editor, created in an effect
 * (and destroyed in its cleanup) so that React's double-invoked effects in development never reuse a destroyed
 * provider. State that the provider may have reached before the listeners were attached is read from it directly.
 *
 * The offline store is kept for everyone, read-only people included: someone who typed offline and lost the right
 * to edit meanwhile opens the document with those edits still stored, and only the server can tell that they will
 * never be taken. It does so with a session message (reason `refused`); the store is then discarded, the editor
 * starts over from the server's state, and `discarded` tells the person.
 */
export function useCollaboration(
  documentId: string,
  userId: string,
  initial: SessionInfo,
  onComments?: (event: unknown) => void,
) {
  // The provider lives as long as the document is open; the latest handler is read through a ref.
  const onCommentsRef = useRef(onComments);
  onCommentsRef.current = onComments;
  const [conn, setConn] = useState<{ ydoc: Y.Doc; provider: WebsocketProvider }>();
  const [session, setSession] = useState<SessionInfo>(initial);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [synced, setSynced] = useState(false);
  const [participants, setParticipants] = useState<Participant[]>([]);
  /** Set when the server ended the connection for good (4401, 4403): nothing reconnects any more. */
  const [ended, setEnded] = useState<EndReason>();
  /** Set when edits kept in this browser were thrown away because the server refused them. */
  const [discarded, setDiscarded] = useState(false);
  // A refusal right after starting over would mean the client itself writes something on open; starting over again
  // would then loop, so it happens once per mount.
  const startedOverAfterRefusal = useRef(false);
  // Bumped at a sign-off or a refusal: the editor then starts over from the server's state, so nobody keeps seeing
  // text the server refused (keystrokes after the sign-off, edits kept offline by someone who may no longer edit).
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const ydoc = new Y.Doc();
    // Attached before the provider connects, so that what it holds is part of the first sync where possible; what
    // it loads later is sent as an ordinary update (its origin is not the provider).
    const store = openOfflineStore(offlineStoreName(userId, documentId), ydoc);
    let startingOver = false;
    /** Throws away the stored copy and this Y.Doc, and starts over from the server's state. */
    const startOver = (refused: boolean) => {
      if (startingOver) return;
      startingOver = true;
      store?.discard().catch((err: unknown) => console.warn('[offline] discarding the stored document failed', err));
      if (refused) {
        setDiscarded(true);
        if (startedOverAfterRefusal.current) return;
        startedOverAfterRefusal.current = true;
      }
      setGeneration((g) => g + 1);
    };
    const provider = connect(
      documentId,
      ydoc,
      (info) => {
        // Merged: the server does not repeat what the page already knows (who signed, when).
        setSession((previous) => ({ ...previous, ...info }));
        // At a sign-off or a move to ready, keystrokes in flight were refused by design: the editor starts over from
        // the frozen text, without a message (the status says why).
        if (info.reason === 'signed_off' || info.reason === 'locked') startOver(false);
        if (info.reason === 'refused') startOver(true);
      },
      (event) => onCommentsRef.current?.(event),
    );
    const end = watchEnd(provider, (reason) => {
      setEnded(reason);
      setConnection('closed');
      // Someone who is no longer a member may not keep a copy, nor edits that can never be sent. After 4401 the
      // store stays: signing in again sends what it holds.
      if (reason === 'forbidden')
        store?.discard().catch((err: unknown) => console.warn('[offline] discarding the stored document failed', err));
    });
    const readConnection = () =>
      setConnection(
        end.ended ? 'closed' : !navigator.onLine ? 'offline' : provider.wsconnected ? 'connected' : 'connecting',
      );
    const readSynced = () => setSynced(provider.synced);
    const readParticipants = () =>
      setParticipants(
        [...provider.awareness.getStates().entries()]
          .map(([clientId, state]) => ({ clientId, ...(state.user as Omit<Participant, 'clientId'>) }))
          .filter((p) => p.name),
      );
    const unsynced = trackUnsynced(provider, ydoc);
    // The browser asks before leaving while typed text has not reached the server, unless it is kept in IndexedDB
    // (each update is written there as it happens, so leaving loses nothing).
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (unsynced.hasUnsynced() && !store?.persistence.synced) e.preventDefault();
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
      end.dispose();
      provider.destroy();
      ydoc.destroy(); // also detaches the offline store
    };
  }, [documentId, userId, generation]);

  return { ...conn, session, connection, synced, participants, ended, discarded };
}
