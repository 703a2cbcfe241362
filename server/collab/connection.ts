import type { WebSocket } from 'ws';
import type { DocumentStatus, MemberRole } from '../../db/schema';
import { canEditText } from '../documents/access';
import { canSuggestText } from '../../common/policy';
import type { KnownUser } from './awareness';
import type { TransactionOrigin } from './origin';
import { closeCode, isCustomMessage, type ClientCapabilities } from '../../common/protocol';

/**
 * One WebSocket of one person on one document. Rights are re-evaluated whenever the role or the document's status
 * changes; the transport never decides what a message may do (the document does, from `canWrite`).
 */
export class ClientConnection {
  /** Awareness client ids this connection set; removed from the document's awareness when it closes. */
  readonly awarenessIds = new Set<number>();
  closed = false;
  /** The session version the connection was admitted with: signing out (or deactivation) raises the user's. */
  sessionVersion: number | undefined;
  /** The transaction origin of this connection's updates (one object, so the fan-out can recognise its sender). */
  readonly origin: TransactionOrigin = { source: 'connection', connection: this };

  constructor(
    readonly ws: WebSocket,
    readonly user: KnownUser,
    public role: MemberRole,
    private readonly maxBufferedBytes: number,
    /** What the client announced at the upgrade; a stock y-websocket client announces nothing. */
    readonly capabilities: ClientCapabilities = { customMessages: false },
  ) {}

  canWrite(status: DocumentStatus): boolean {
    return canEditText(this.role, status);
  }

  /** May write suggestions only (a commenter or the chair): every update is checked first (suggestion-guard.ts). */
  suggestsOnly(status: DocumentStatus): boolean {
    return !this.canWrite(status) && canSuggestText(this.role, status);
  }

  /**
   * Sends a pre-encoded frame; a reader that falls too far behind is disconnected rather than buffered forever.
   * Stukwerk's own message types are dropped here for clients that did not announce them, so no caller can leak one
   * to a stock client.
   */
  send(message: Uint8Array): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    if (!this.capabilities.customMessages && isCustomMessage(message)) return;
    if (this.ws.bufferedAmount > this.maxBufferedBytes) {
      this.close(closeCode.tryAgainLater, 'too slow');
      return;
    }
    this.ws.send(message, { binary: true });
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.ws.close(code, reason);
  }
}
