import { and, count, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client';
import { comments, documentMembers, documents, notifications, users } from '../../db/schema';
import { AppError } from '../errors';
import { bindDeps } from '../wiring';

export interface NotificationView {
  id: string;
  kind: 'mention';
  documentId: string;
  documentTitle: string;
  threadId: string;
  commentId: string;
  /** Who wrote the comment that mentions you. */
  actor: { name: string; organisation: string | null } | null;
  /** The start of the comment's text, plain. */
  excerpt: string;
  createdAt: Date;
  readAt: Date | null;
}

const excerptChars = 140;

/**
 * A person's notifications, newest first, only for documents they are still a member of (removal from a document
 * takes its notifications out of sight as well).
 */
export async function listNotifications(
  db: Database,
  userId: string,
  limit = 50,
): Promise<{ notifications: NotificationView[]; unread: number }> {
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
  return {
    unread: unread?.n ?? 0,
    notifications: rows.map((r) => ({
      id: r.n.id,
      kind: r.n.kind,
      documentId: r.n.documentId,
      documentTitle: r.title,
      threadId: r.n.threadId,
      commentId: r.n.commentId,
      actor: r.actorName ? { name: r.actorName, organisation: r.actorOrg } : null,
      excerpt: r.body.length > excerptChars ? `${r.body.slice(0, excerptChars - 1)}…` : r.body,
      createdAt: r.n.createdAt,
      readAt: r.n.readAt,
    })),
  };
}

export async function markNotificationRead(db: Database, userId: string, notificationId: string) {
  const notFound = () => new AppError('not_found:notification', 'Melding niet gevonden. / Notification not found.');
  if (!z.uuid().safeParse(notificationId).success) throw notFound();
  const [row] = await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.id, notificationId), eq(notifications.userId, userId)))
    .returning({ id: notifications.id, readAt: notifications.readAt });
  if (!row) throw notFound();
  return row;
}

export async function markAllNotificationsRead(db: Database, userId: string) {
  const rows = await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return { updated: rows.length };
}

/** In-app notifications of one server: `createNotifications({ db }).list(userId)`. */
export const createNotifications = ({ db }: { db: Database }) =>
  bindDeps(db, { list: listNotifications, markRead: markNotificationRead, markAllRead: markAllNotificationsRead });
