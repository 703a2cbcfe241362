import { defaultLocale, isLocale } from '../../common/i18n';
import { aliasedTable, and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client';
import { documentMembers, documents, mailNotifications, mailPreferences, users } from '../../db/schema';
import type { MailConfig } from './config';
import type { MailLinks } from './links';
import { enqueueMail } from './outbox';
import { lastDigestAt, nextDigestAt } from './schedule';
import { renderNotifications, type NotificationItem } from './templates';

/**
 * Turns pending `mail_notifications` into outbox messages, in one transaction per run (rows locked with
 * `FOR UPDATE … SKIP LOCKED`, so two processes never batch the same row):
 * - "immediate": per person and document, once the oldest pending event is `batchWindowMs` old, one mail with all;
 * - "daily": per person, one digest with everything from before the last 08:00 (Europe/Amsterdam);
 * - "off", a deactivated account, or no longer a member of the document: the rows are dropped, never mailed.
 * Rows of "daily" people that are not due yet are left out of the query, so they cannot crowd out the others.
 */
const scanLimit = 1000;

type Pending = NotificationItem & {
  id: string;
  userId: string;
  preference: 'immediate' | 'daily' | 'off';
  recipient: string;
  recipientName: string;
  recipientLocale: string;
  deliverable: boolean;
};

export async function batchDueNotifications(
  db: Database,
  config: MailConfig,
  links: MailLinks,
  now = new Date(),
): Promise<number> {
  const actor = aliasedTable(users, 'actor');
  const lastDigest = lastDigestAt(now, config.digestHour, config.digestTimeZone);
  return db.transaction(async (tx) => {
    const rows: Pending[] = await tx
      .select({
        id: mailNotifications.id,
        userId: mailNotifications.userId,
        kind: mailNotifications.kind,
        documentId: mailNotifications.documentId,
        threadId: mailNotifications.threadId,
        excerpt: mailNotifications.excerpt,
        createdAt: mailNotifications.createdAt,
        preference: sql<'immediate' | 'daily' | 'off'>`coalesce(${mailPreferences.email}, 'immediate')`,
        recipient: users.email,
        recipientName: users.name,
        recipientLocale: users.locale,
        deliverable: sql<boolean>`(${users.deactivatedAt} is null and ${documentMembers.userId} is not null)`,
        documentTitle: documents.title,
        actorName: actor.name,
      })
      .from(mailNotifications)
      .innerJoin(users, eq(users.id, mailNotifications.userId))
      .innerJoin(documents, eq(documents.id, mailNotifications.documentId))
      .leftJoin(actor, eq(actor.id, mailNotifications.actorId))
      .leftJoin(mailPreferences, eq(mailPreferences.userId, mailNotifications.userId))
      .leftJoin(
        documentMembers,
        and(
          eq(documentMembers.documentId, mailNotifications.documentId),
          eq(documentMembers.userId, mailNotifications.userId),
        ),
      )
      .where(
        and(
          isNull(mailNotifications.outboxId),
          // coalesce: no preferences row means "immediate" (a bare comparison with NULL would drop the row).
          sql`not (coalesce(${mailPreferences.email}::text, 'immediate') = 'daily' and ${mailNotifications.createdAt} >= ${lastDigest})`,
        ),
      )
      .orderBy(asc(mailNotifications.createdAt))
      .limit(scanLimit)
      .for('update', { of: mailNotifications, skipLocked: true });
    if (!rows.length) return 0;

    const drop = rows.filter((r) => r.preference === 'off' || !r.deliverable).map((r) => r.id);
    if (drop.length) await tx.delete(mailNotifications).where(inArray(mailNotifications.id, drop));

    const groups = new Map<string, Pending[]>();
    for (const r of rows) {
      if (r.preference === 'off' || !r.deliverable) continue;
      const key = r.preference === 'daily' ? `daily:${r.userId}` : `now:${r.userId}:${r.documentId}`;
      const group = groups.get(key);
      if (group) group.push(r);
      else groups.set(key, [r]);
    }
    let made = 0;
    for (const [key, items] of groups) {
      const first = items[0]!;
      const digest = key.startsWith('daily:');
      const due = digest
        ? nextDigestAt(first.createdAt, config.digestHour, config.digestTimeZone) <= now
        : now.getTime() - first.createdAt.getTime() >= config.batchWindowMs;
      if (!due) continue;
      await mailGroup(tx, links, items, digest);
      made++;
    }
    return made;
  });
}

async function mailGroup(tx: Executor, links: MailLinks, items: Pending[], digest: boolean) {
  const first = items[0]!;
  const rendered = renderNotifications(links, {
    recipientName: first.recipientName,
    items,
    digest,
    locale: isLocale(first.recipientLocale) ? first.recipientLocale : defaultLocale,
  });
  const { id } = await enqueueMail(tx, {
    ...rendered,
    kind: digest ? 'digest' : 'notifications',
    recipient: first.recipient,
    domain: links.domain,
    userId: first.userId,
    documentId: digest ? null : first.documentId,
  });
  await tx
    .update(mailNotifications)
    .set({ outboxId: id })
    .where(
      inArray(
        mailNotifications.id,
        items.map((i) => i.id),
      ),
    );
}
