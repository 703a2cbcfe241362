import type { ClientConnection } from './connection';

/**
 * Who made a change to a live Y.Doc: the origin of every transaction on it. Typed, so that the document can tell
 * a person's edit (whose author counts for versions, and who does not get their own update back) from the
 * server's own changes, without duck-typing.
 */
export type TransactionOrigin =
  | { readonly source: 'connection'; readonly connection: ClientConnection }
  /**
   * The server changed the text for a person: a restore, accepting / rejecting / withdrawing a suggestion, or the
   * header's AGENDAPUNT and DATUM written from a meeting's agenda (server/meetings).
   */
  | { readonly source: 'server'; readonly action: 'restore' | 'suggestion' | 'agenda'; readonly userId: string }
  /**
   * Accepted by another Stukwerk process (pub/sub) or read back from the shared log (catch-up): relayed to this
   * process's connections, but never appended to the log again (the process that accepted it logs it).
   */
  | { readonly source: 'remote' };

export function isTransactionOrigin(value: unknown): value is TransactionOrigin {
  return (
    typeof value === 'object' &&
    value !== null &&
    ['connection', 'server', 'remote'].includes((value as TransactionOrigin).source)
  );
}

/** The person behind a change, if any. */
export function authorOf(origin: unknown): string | undefined {
  if (!isTransactionOrigin(origin)) return undefined;
  if (origin.source === 'remote') return undefined;
  return origin.source === 'connection' ? origin.connection.user.id : origin.userId;
}

export const restoreOrigin = (userId: string): TransactionOrigin => ({ source: 'server', action: 'restore', userId });
export const suggestionOrigin = (userId: string): TransactionOrigin => ({
  source: 'server',
  action: 'suggestion',
  userId,
});
export const agendaOrigin = (userId: string): TransactionOrigin => ({ source: 'server', action: 'agenda', userId });

/** One object for every remote change: the fan-out treats it as an origin no connection has. */
export const remoteOrigin: TransactionOrigin = Object.freeze({ source: 'remote' });

export const isRemote = (origin: unknown): boolean => isTransactionOrigin(origin) && origin.source === 'remote';
