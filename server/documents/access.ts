import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../../db/client';
import { documentMembers, documents, type Document, type MemberRole } from '../../db/schema';
import { AppError, notFoundDocument } from '../errors';

/**
 * Access to a document always goes through its membership row. A person who is not a member gets the same 404
 * as for an id that does not exist, so nobody can learn that a document exists.
 */
export async function roleOf(db: Executor, documentId: string, userId: string): Promise<MemberRole | undefined> {
  if (!z.uuid().safeParse(documentId).success) return undefined;
  const [row] = await db
    .select({ role: documentMembers.role })
    .from(documentMembers)
    .innerJoin(documents, and(eq(documents.id, documentMembers.documentId), isNull(documents.deletedAt)))
    .where(and(eq(documentMembers.documentId, documentId), eq(documentMembers.userId, userId)));
  return row?.role;
}

export async function requireMembership(
  db: Executor,
  documentId: string,
  userId: string,
): Promise<{ document: Document; role: MemberRole }> {
  if (!z.uuid().safeParse(documentId).success) throw notFoundDocument();
  const [row] = await db
    .select({ document: documents, role: documentMembers.role })
    .from(documents)
    .innerJoin(documentMembers, and(eq(documentMembers.documentId, documents.id), eq(documentMembers.userId, userId)))
    // A soft-deleted document is a 404 for everyone, members included (restore has its own path).
    .where(and(eq(documents.id, documentId), isNull(documents.deletedAt)));
  if (!row) throw notFoundDocument();
  return row;
}

export async function requireRole(
  db: Executor,
  documentId: string,
  userId: string,
  allowed: readonly MemberRole[],
  action: string,
) {
  const membership = await requireMembership(db, documentId, userId);
  if (!allowed.includes(membership.role)) {
    throw new AppError('forbidden:document', `Your role (${membership.role}) may not ${action}.`);
  }
  return membership;
}

/** An archived document is read-only for everyone: every write but unarchiving answers 409 `conflict:archived`. */
export function assertNotArchived(document: { archivedAt: Date | null }) {
  if (document.archivedAt) {
    throw new AppError('conflict:archived', 'The document is archived; unarchive it first.');
  }
}

/** Which roles may change the text of a document (the collaboration server enforces this per connection). */
export { canEditText } from '../../common/policy';
