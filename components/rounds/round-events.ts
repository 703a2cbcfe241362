import * as decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';
import { messageType } from '@/common/protocol';
import type { RoundEvent } from '@/common/rounds';

/**
 * The round events (type 102) arrive on the editor's collaboration connection, which the round panel does not own:
 * the connection hands them on as a window event named for the document, and says when it (re)synchronised, so a
 * panel that may have missed events while the connection was down reads the rounds again. No polling.
 */
const eventName = (documentId: string) => `stukwerk:rounds:${documentId}`;

export type RoundSignal = { kind: 'event'; event: RoundEvent } | { kind: 'synced' };

export function forwardRoundEvents(provider: WebsocketProvider, documentId: string) {
  const emit = (detail: RoundSignal) => window.dispatchEvent(new CustomEvent(eventName(documentId), { detail }));
  provider.messageHandlers[messageType.rounds] = (_encoder, decoder) =>
    emit({ kind: 'event', event: JSON.parse(decoding.readVarString(decoder)) as RoundEvent });
  provider.on('sync', (synced: boolean) => {
    if (synced) emit({ kind: 'synced' });
  });
}

export function onRoundSignal(documentId: string, listener: (signal: RoundSignal) => void): () => void {
  const handler = (e: Event) => listener((e as CustomEvent<RoundSignal>).detail);
  window.addEventListener(eventName(documentId), handler);
  return () => window.removeEventListener(eventName(documentId), handler);
}
