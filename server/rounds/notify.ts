import { eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import {
  documents,
  mailPreferences,
  roundMails,
  roundReviewers,
  users,
  type Round,
  type RoundMailKind,
} from '../../db/schema';
import { isLocale, defaultLocale } from '../../common/i18n';
import type { RoundPosition } from '../../common/rounds';
import { recordAudit } from '../audit/audit';
import type { MailLinks } from '../mail/links';
import { enqueueMail } from '../mail/outbox';
import { renderRoundMail } from '../mail/templates';

export type { RoundMailKind };

/**
 * The one place rounds tell people something by e-mail: the request when a round opens, the reminders, "everyone
 * answered" and "round closed". Called inside the transaction of the event it announces, so nothing is sent for an
 * event that rolled back. A `round_mails` row per (round, person, kind) is inserted first: only the transaction
 * whose insert went in queues the mail, so each kind reaches a person once even when several processes run the
 * reminder timer at the same moment. The mail goes straight to the outbox (not through the batched notifications):
 * a consultation request or a reminder is a message in its own right, in the recipient's own language, so a "daily"
 * preference does not hold it back. A deactivated account, or someone whose e-mail preference is "off", gets nothing. Returns the people a mail was queued for.
 */
export async function notifyRound(
  tx: Executor,
  links: MailLinks,
  mail: { kind: RoundMailKind; round: Round; to: string[] },
): Promise<string[]> {
  const { round, kind } = mail;
  const to = [...new Set(mail.to)];
  if (!to.length) return [];
  const fresh = await tx
    .insert(roundMails)
    .values(to.map((userId) => ({ roundId: round.id, userId, kind })))
    .onConflictDoNothing()
    .returning({ userId: roundMails.userId });
  if (!fresh.length) return [];
  // Who chose "off" gets no e-mail at all (the settings page promises it); the request stays visible in Stukwerk.
  // Their round_mails row is kept, so switching mail on later does not bring an old request or reminder.
  const people = await tx
    .select({ id: users.id, email: users.email, name: users.name, locale: users.locale })
    .from(users)
    .leftJoin(mailPreferences, eq(mailPreferences.userId, users.id))
    .where(
      sql`${inArray(
        users.id,
        fresh.map((f) => f.userId),
      )} and ${users.deactivatedAt} is null and coalesce(${mailPreferences.email}::text, 'immediate') <> 'off'`,
    );
  const [doc] = await tx.select({ title: documents.title }).from(documents).where(eq(documents.id, round.documentId));
  const [opener] = round.openedBy
    ? await tx.select({ name: users.name }).from(users).where(eq(users.id, round.openedBy))
    : [];
  const counts: Record<RoundPosition | 'none', number> = {
    agree: 0,
    agree_with_remarks: 0,
    disagree: 0,
    abstain: 0,
    none: 0,
  };
  const answers = await tx
    .select({ position: roundReviewers.position })
    .from(roundReviewers)
    .where(eq(roundReviewers.roundId, round.id));
  for (const a of answers) counts[a.position ?? 'none']++;

  const queued: string[] = [];
  for (const person of people) {
    const rendered = renderRoundMail(links, isLocale(person.locale) ? person.locale : defaultLocale, {
      kind,
      recipientName: person.name,
      documentId: round.documentId,
      documentTitle: doc?.title ?? '',
      openerName: opener?.name ?? null,
      question: round.question,
      dueAt: round.dueAt,
      counts,
    });
    const { id } = await enqueueMail(tx, {
      ...rendered,
      kind: 'round',
      recipient: person.email,
      domain: links.domain,
      userId: person.id,
      documentId: round.documentId,
    });
    await tx
      .update(roundMails)
      .set({ outboxId: id })
      .where(
        sql`${roundMails.roundId} = ${round.id} and ${roundMails.userId} = ${person.id} and ${roundMails.kind} = ${kind}`,
      );
    queued.push(person.id);
  }
  if (queued.length) {
    await recordAudit(tx, {
      actorId: null,
      action: 'round.mail_queued',
      documentId: round.documentId,
      details: { kind: `round.${kind}`, roundId: round.id, to: queued },
    });
  }
  return queued;
}
