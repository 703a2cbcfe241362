import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import {
  comments,
  documentMembers,
  mailNotifications,
  type MailNotificationKind,
  type MemberRole,
} from '../../db/schema';
import { excerptOf } from './templates';

/**
 * The hook-ins where events happen: each writes `mail_notifications` rows in the event's own transaction (the
 * batcher in server/mail/batcher.ts turns them into mail). The actor never mails themselves; whether a person
 * wants mail at all, and whether they are still a member, is decided when the mail is made.
 */
interface Event {
  actorId: string;
  documentId: string;
  threadId?: string | null;
  commentId?: string | null;
  excerpt?: string | null;
}

export async function queueNotifications(
  tx: Executor,
  kind: MailNotificationKind,
  userIds: Iterable<string>,
  event: Event,
): Promise<string[]> {
  const targets = [...new Set(userIds)].filter((id) => id !== event.actorId);
  if (!targets.length) return [];
  await tx.insert(mailNotifications).values(
    targets.map((userId) => ({
      userId,
      kind,
      documentId: event.documentId,
      actorId: event.actorId,
      threadId: event.threadId ?? null,
      commentId: event.commentId ?? null,
      excerpt: event.excerpt ? excerptOf(event.excerpt) : null,
    })),
  );
  return targets;
}

/** People mentioned in a comment (new thread, reply, or an edit that adds them). */
export async function mailMentions(tx: Executor, event: Event & { commentId: string }, mentioned: string[]) {
  if (!mentioned.length) return;
  const [comment] = await tx.select({ body: comments.body }).from(comments).where(eq(comments.id, event.commentId));
  await queueNotifications(tx, 'mention', mentioned, { ...event, excerpt: comment?.body ?? null });
}

/** A reply: everyone who wrote in the thread before (not deleted), except whoever a mention mail reaches already. */
export async function mailReply(
  tx: Executor,
  event: Event & { threadId: string; commentId: string; body: string },
  alreadyMentioned: string[],
) {
  const writers = await tx
    .select({ authorId: comments.authorId })
    .from(comments)
    .where(and(eq(comments.threadId, event.threadId), ne(comments.id, event.commentId), isNull(comments.deletedAt)));
  const skip = new Set(alreadyMentioned);
  const targets = writers
    .map((w: { authorId: string | null }) => w.authorId)
    .filter((id): id is string => !!id && !skip.has(id));
  await queueNotifications(tx, 'reply', targets, { ...event, excerpt: event.body });
}

/** A thread resolved or reopened by someone other than the person who started it. */
export async function mailThreadStatus(
  tx: Executor,
  event: Event & { threadId: string },
  thread: { createdBy: string | null; quote: string },
  status: 'open' | 'resolved',
) {
  if (!thread.createdBy) return;
  await queueNotifications(tx, status === 'resolved' ? 'thread_resolved' : 'thread_reopened', [thread.createdBy], {
    ...event,
    excerpt: thread.quote,
  });
}

/** A document event for its members with these roles (all members when `roles` is omitted). */
export async function mailDocumentEvent(
  tx: Executor,
  kind: 'document_review' | 'document_signed_off',
  event: Event,
  roles?: MemberRole[],
) {
  const members = await tx
    .select({ userId: documentMembers.userId })
    .from(documentMembers)
    .where(
      and(eq(documentMembers.documentId, event.documentId), roles ? inArray(documentMembers.role, roles) : sql`true`),
    );
  await queueNotifications(
    tx,
    kind,
    members.map((m) => m.userId),
    event,
  );
}
