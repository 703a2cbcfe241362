import type { ClientConnection } from './connection';

/**
 * Who made a change to a live Y.Doc: the origin of every transaction on it. Typed, so that the document can tell
 * a person's edit (whose author counts for versions, and who does not get their own update back) from the
 * server's own changes, without duck-typing.
 */
export type TransactionOrigin =
  | { readonly source: 'connection'; readonly connection: ClientConnection }
  | { readonly source: 'server'; readonly action: 'restore'; readonly userId: string };

export function isTransactionOrigin(value: unknown): value is TransactionOrigin {
  return typeof value === 'object' && value !== null && ((value as TransactionOrigin).source === 'connection' || (value as TransactionOrigin).source === 'server');
}

/** The person behind a change, if any. */
export function authorOf(origin: unknown): string | undefined {
  if (!isTransactionOrigin(origin)) return undefined;
  return origin.source === 'connection' ? origin.connection.user.id : origin.userId;
}

export const restoreOrigin = (userId: string): TransactionOrigin => ({ source: 'server', action: 'restore', userId });
