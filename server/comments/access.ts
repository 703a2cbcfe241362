import { commentWriterRoles, resolverRoles } from '../../common/policy';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../../db/client';
import { comments, commentThreads, documentMembers, documents, type MemberRole } from '../../db/schema';
import { assertNotArchived, requireMembership } from '../documents/access';
import { AppError } from '../errors';

/**
 * Who may do what with comments: editors, commenters and the chair write; viewers read; non-members
 * learn nothing (404). A signed-off document keeps its threads readable and takes no new writes (409).
 */
export { commentWriterRoles, resolverRoles };

export const signedOff = () => new AppError('conflict:signed_off', 'The document is signed off: no new comments.');
const threadNotFound = () => new AppError('not_found:thread', 'Thread not found.');
const commentNotFound = () => new AppError('not_found:comment', 'Comment not found.');

/**
 * For any write: a member with a writing role on a document that is not signed off. Inside a transaction the
 * document row is share-locked, so a sign-off cannot commit between this check and the write.
 */
export async function requireCommentWriter(tx: Executor, documentId: string, userId: string) {
  const membership = await requireMembership(tx, documentId, userId);
  assertNotArchived(membership.document);
  if (!commentWriterRoles.includes(membership.role)) {
    throw new AppError('forbidden:document', `Your role (${membership.role}) may not comment.`);
  }
  const locked = await tx.execute(sql`select status from ${documents} where ${documents.id} = ${documentId} for share`);
  const status = (locked as unknown as { rows: { status: string }[] }).rows?.[0]?.status ?? membership.document.status;
  if (status === 'signed_off') throw signedOff();
  return membership;
}

export async function findThread(tx: Executor, documentId: string, threadId: string) {
  if (!z.uuid().safeParse(threadId).success) throw threadNotFound();
  const [thread] = await tx
    .select()
    .from(commentThreads)
    .where(and(eq(commentThreads.id, threadId), eq(commentThreads.documentId, documentId)));
  if (!thread) throw threadNotFound();
  return thread;
}

export async function findComment(tx: Executor, threadId: string, commentId: string) {
  if (!z.uuid().safeParse(commentId).success) throw commentNotFound();
  const [comment] = await tx
    .select()
    .from(comments)
    .where(and(eq(comments.id, commentId), eq(comments.threadId, threadId)));
  if (!comment) throw commentNotFound();
  return comment;
}

/** Mentions must name members of the document (an outsider would learn of it through a notification). */
export async function requireMemberMentions(tx: Executor, documentId: string, mentions: string[]) {
  if (!mentions.length) return;
  const rows = await tx
    .select({ userId: documentMembers.userId })
    .from(documentMembers)
    .where(and(eq(documentMembers.documentId, documentId), inArray(documentMembers.userId, mentions)));
  if (rows.length !== mentions.length) {
    throw new AppError('invalid:mention', 'Only members of the document can be mentioned.');
  }
}
