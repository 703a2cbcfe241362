import { and, count, desc, eq, isNull, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client';
import {
  comments,
  documentMembers,
  documents,
  mailNotifications,
  notifications,
  users,
  type MailNotificationKind,
} from '../../db/schema';
import { AppError } from '../errors';
import { bindDeps } from '../wiring';

export type NotificationKind = 'mention' | Exclude<MailNotificationKind, 'mention'>;

export interface NotificationView {
  id: string;
  /** `mention` (you were named in a comment), or an event that is also mailed: a reply in a thread you wrote in,
   *  your thread resolved or reopened, the document offered for review or signed off. */
  kind: NotificationKind;
  documentId: string;
  documentTitle: string;
  /** The thread it is about, if any (a status change has none). */
  threadId: string | null;
  commentId: string | null;
  /** Who did it. */
  actor: { name: string; organisation: string | null } | null;
  /** The start of the comment's text, plain (empty for a status change). */
  excerpt: string;
  createdAt: Date;
  readAt: Date | null;
}

const excerptChars = 140;
const shorten = (text: string | null) =>
  !text ? '' : text.length > excerptChars ? `${text.slice(0, excerptChars - 1)}…` : text;

/**
 * A person's notifications, newest first, only for documents they are still a member of (removal from a document
 * takes its notifications out of sight as well): mentions (table `notifications`) and every other event that is
 * also mailed (table `mail_notifications`, whose mention rows are left out here: they are the same mentions).
 */
export async function listNotifications(
  db: Database,
  userId: string,
  limit = 50,
): Promise<{ notifications: NotificationView[]; unread: number }> {
  const [mentions, events] = await Promise.all([mentionViews(db, userId, limit), eventViews(db, userId, limit)]);
  const all = [...mentions.views, ...events.views].sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime());
  return { unread: mentions.unread + events.unread, notifications: all.slice(0, limit) };
}

async function mentionViews(db: Database, userId: string, limit: number) {
  const visible = and(eq(notifications.userId, userId), eq(documentMembers.userId, userId));
  const rows = await db
    .select({
      n: notifications,
      title: documents.title,
      body: comments.body,
      actorName: users.name,
      actorOrg: users.organisation,
    })
    .from(notifications)
    .innerJoin(documentMembers, eq(documentMembers.documentId, notifications.documentId))
    .innerJoin(documents, eq(documents.id, notifications.documentId))
    .innerJoin(comments, eq(comments.id, notifications.commentId))
    .leftJoin(users, eq(users.id, comments.authorId))
    .where(visible)
    .orderBy(desc(notifications.createdAt))
    .limit(limit);
  const [unread] = await db
    .select({ n: count() })
    .from(notifications)
    .innerJoin(documentMembers, eq(documentMembers.documentId, notifications.documentId))
    .where(and(visible, isNull(notifications.readAt)));
  const views: NotificationView[] = rows.map((r) => ({
    id: r.n.id,
    kind: 'mention',
    documentId: r.n.documentId,
    documentTitle: r.title,
    threadId: r.n.threadId,
    commentId: r.n.commentId,
    actor: r.actorName ? { name: r.actorName, organisation: r.actorOrg } : null,
    excerpt: shorten(r.body),
    createdAt: r.n.createdAt,
    readAt: r.n.readAt,
  }));
  return { views, unread: unread?.n ?? 0 };
}

async function eventViews(db: Database, userId: string, limit: number) {
  const visible = and(
    eq(mailNotifications.userId, userId),
    eq(documentMembers.userId, userId),
    ne(mailNotifications.kind, 'mention'),
  );
  const rows = await db
    .select({ n: mailNotifications, title: documents.title, actorName: users.name, actorOrg: users.organisation })
    .from(mailNotifications)
    .innerJoin(documentMembers, eq(documentMembers.documentId, mailNotifications.documentId))
    .innerJoin(documents, eq(documents.id, mailNotifications.documentId))
    .leftJoin(users, eq(users.id, mailNotifications.actorId))
    .where(visible)
    .orderBy(desc(mailNotifications.createdAt))
    .limit(limit);
  const [unread] = await db
    .select({ n: count() })
    .from(mailNotifications)
    .innerJoin(documentMembers, eq(documentMembers.documentId, mailNotifications.documentId))
    .where(and(visible, isNull(mailNotifications.readAt)));
  const views: NotificationView[] = rows.map((r) => ({
    id: r.n.id,
    kind: r.n.kind as NotificationKind,
    documentId: r.n.documentId,
    documentTitle: r.title,
    threadId: r.n.threadId,
    commentId: r.n.commentId,
    actor: r.actorName ? { name: r.actorName, organisation: r.actorOrg } : null,
    excerpt: shorten(r.n.excerpt),
    createdAt: r.n.createdAt,
    readAt: r.n.readAt,
  }));
  return { views, unread: unread?.n ?? 0 };
}

export async function markNotificationRead(db: Database, userId: string, notificationId: string) {
  const notFound = () => new AppError('not_found:notification', 'Notification not found.');
  if (!z.uuid().safeParse(notificationId).success) throw notFound();
  const now = new Date();
  const [row] = await db
    .update(notifications)
    .set({ readAt: now })
    .where(and(eq(notifications.id, notificationId), eq(notifications.userId, userId)))
    .returning({ id: notifications.id, readAt: notifications.readAt });
  if (row) return row;
  const [event] = await db
    .update(mailNotifications)
    .set({ readAt: now })
    .where(and(eq(mailNotifications.id, notificationId), eq(mailNotifications.userId, userId)))
    .returning({ id: mailNotifications.id, readAt: mailNotifications.readAt });
  if (!event) throw notFound();
  return event;
}

export async function markAllNotificationsRead(db: Database, userId: string) {
  const now = new Date();
  const mentions = await db
    .update(notifications)
    .set({ readAt: now })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  const events = await db
    .update(mailNotifications)
    .set({ readAt: now })
    .where(
      and(
        eq(mailNotifications.userId, userId),
        isNull(mailNotifications.readAt),
        ne(mailNotifications.kind, 'mention'),
      ),
    )
    .returning({ id: mailNotifications.id });
  return { updated: mentions.length + events.length };
}

/** In-app notifications of one server: `createNotifications({ db }).list(userId)`. */
export const createNotifications = ({ db }: { db: Database }) =>
  bindDeps(db, { list: listNotifications, markRead: markNotificationRead, markAllRead: markAllNotificationsRead });
