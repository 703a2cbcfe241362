import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client';
import { mailNotifications, mailOutbox, type MailOutboxRow } from '../../db/schema';
import type { MailConfig } from './config';
import type { RenderedMail } from './templates';

/**
 * The outbox's life cycle: `queued` → (claimed) `sending` → `sent`, or back to `queued` with a later
 * `next_attempt_at`, or `failed` after `giveUpAfterMs`. Claims use `FOR UPDATE SKIP LOCKED`, so several senders
 * (processes) each take different rows; the `sending` lease covers a sender that dies mid-send.
 */
export type MailKind = 'invitation' | 'notifications' | 'digest' | 'round';

/**
 * Queues one message in the caller's transaction: it exists exactly when the event does (a rolled-back event
 * sends nothing). The Message-ID is fixed here, once.
 */
export async function enqueueMail(
  tx: Executor,
  mail: RenderedMail & {
    kind: MailKind;
    recipient: string;
    domain: string;
    userId?: string | null;
    documentId?: string | null;
  },
): Promise<{ id: string; messageId: string }> {
  const id = randomUUID();
  const messageId = `<${id}@${mail.domain}>`;
  await tx.insert(mailOutbox).values({
    id,
    messageId,
    kind: mail.kind,
    recipient: mail.recipient,
    userId: mail.userId ?? null,
    documentId: mail.documentId ?? null,
    subject: mail.subject,
    textBody: mail.text,
    htmlBody: mail.html,
  });
  return { id, messageId };
}

/** Takes up to `limit` due rows for this sender: queued ones whose time has come, and sending ones whose lease ran out. */
export async function claimDue(
  db: Database,
  config: Pick<MailConfig, 'claimLimit' | 'sendLeaseMs'>,
  now = new Date(),
): Promise<MailOutboxRow[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: mailOutbox.id })
      .from(mailOutbox)
      .where(and(inArray(mailOutbox.status, ['queued', 'sending']), lte(mailOutbox.nextAttemptAt, now)))
      .orderBy(asc(mailOutbox.nextAttemptAt))
      .limit(config.claimLimit)
      .for('update', { skipLocked: true });
    if (!due.length) return [];
    return tx
      .update(mailOutbox)
      .set({
        status: 'sending',
        attempts: sql`${mailOutbox.attempts} + 1`,
        nextAttemptAt: new Date(now.getTime() + config.sendLeaseMs),
      })
      .where(
        inArray(
          mailOutbox.id,
          due.map((r) => r.id),
        ),
      )
      .returning();
  });
}

/**
 * After the SMTP server accepted. Only this claim may mark it (same attempt number), so a claim that outlived its
 * lease does not overwrite a newer one. An invitation's body is erased: it holds the only plain copy of the token.
 */
export async function markSent(db: Database, row: Pick<MailOutboxRow, 'id' | 'attempts' | 'kind'>, now = new Date()) {
  await db
    .update(mailOutbox)
    .set({
      status: 'sent',
      sentAt: now,
      lastError: null,
      ...(row.kind === 'invitation' ? { textBody: null, htmlBody: null } : {}),
    })
    .where(and(eq(mailOutbox.id, row.id), eq(mailOutbox.attempts, row.attempts), eq(mailOutbox.status, 'sending')));
}

export function backoffMs(attempts: number, config: Pick<MailConfig, 'retryBaseMs' | 'retryMaxMs'>): number {
  return Math.min(config.retryMaxMs, config.retryBaseMs * 2 ** Math.max(0, attempts - 1));
}

/** A failed attempt: back to the queue after the backoff, or `failed` when permanent or older than `giveUpAfterMs`. */
export async function markAttemptFailed(
  db: Database,
  row: Pick<MailOutboxRow, 'id' | 'attempts' | 'createdAt'>,
  error: { message: string; permanent: boolean },
  config: Pick<MailConfig, 'retryBaseMs' | 'retryMaxMs' | 'giveUpAfterMs'>,
  now = new Date(),
): Promise<'queued' | 'failed'> {
  const next = new Date(now.getTime() + backoffMs(row.attempts, config));
  const giveUp = error.permanent || next.getTime() - row.createdAt.getTime() > config.giveUpAfterMs;
  await db
    .update(mailOutbox)
    .set(
      giveUp
        ? { status: 'failed', lastError: error.message }
        : { status: 'queued', nextAttemptAt: next, lastError: error.message },
    )
    .where(and(eq(mailOutbox.id, row.id), eq(mailOutbox.attempts, row.attempts), eq(mailOutbox.status, 'sending')));
  return giveUp ? 'failed' : 'queued';
}

/**
 * Gives claimed rows back untried (the SMTP server is unreachable: trying the rest of the claim now would only
 * wait out one timeout after another, and could outlive the lease). Not counted as an attempt.
 */
export async function releaseClaims(db: Database, rows: Pick<MailOutboxRow, 'id' | 'attempts'>[], retryAt: Date) {
  for (const row of rows) {
    await db
      .update(mailOutbox)
      .set({ status: 'queued', attempts: row.attempts - 1, nextAttemptAt: retryAt })
      .where(and(eq(mailOutbox.id, row.id), eq(mailOutbox.attempts, row.attempts), eq(mailOutbox.status, 'sending')));
  }
}

/** The outbox by status, and the notifications still waiting to be batched, for the health endpoint and tests. */
export async function outboxCounts(db: Database): Promise<Record<MailOutboxRow['status'] | 'waiting', number>> {
  const rows = await db
    .select({ status: mailOutbox.status, n: sql<number>`count(*)::int` })
    .from(mailOutbox)
    .groupBy(mailOutbox.status);
  const [waiting] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(mailNotifications)
    .where(isNull(mailNotifications.outboxId));
  const counts = { queued: 0, sending: 0, sent: 0, failed: 0, waiting: waiting?.n ?? 0 };
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}
