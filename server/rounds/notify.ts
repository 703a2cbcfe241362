import type { Executor } from '../../db/client';
import { recordAudit } from '../audit/audit';

/**
 * The one place rounds tell people something by e-mail: the request when a round opens, reminders, "everyone
 * answered" and "round closed". Called inside the transaction of the event it announces, so nothing is sent for
 * an event that rolled back. Until the e-mail outbox lands (server/mail/, `enqueueMail(tx, …)`), each message is
 * recorded as an audit event `round.mail_queued` {kind, roundId, to}; switching means replacing this body with
 * `enqueueMail(tx, …)` per recipient.
 */
export type RoundMailKind = 'round.request' | 'round.reminder' | 'round.all_answered' | 'round.closed';

export async function notifyRound(
  tx: Executor,
  mail: { kind: RoundMailKind; documentId: string; roundId: string; to: string[] },
): Promise<void> {
  if (!mail.to.length) return;
  await recordAudit(tx, {
    actorId: null,
    action: 'round.mail_queued',
    documentId: mail.documentId,
    details: { kind: mail.kind, roundId: mail.roundId, to: [...new Set(mail.to)] },
  });
}
