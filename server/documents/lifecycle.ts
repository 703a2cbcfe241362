/**
 * A document's life outside the workflow: rename, soft delete (and restore within 30 days), duplicate.
 * Each change is one transaction with its audit event. A deleted document is a 404 for everyone
 * (server/documents/access.ts), except `restoreDocument` for one of its editors.
 */
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { documentMembers, documentSnapshots, documents } from '../../db/schema';
import { recordAudit } from '../audit/audit';
import { AppError, notFoundDocument } from '../errors';
import { requireRole } from './access';
import { createDocument, type DocumentSummary } from './documents';
import type { PMNode } from '../content/prosemirror';

/** How long a deleted document can be restored. */
export const restoreWindowDays = 30;

export async function renameDocument(db: Database, userId: string, documentId: string, title: string) {
  return db.transaction(async (tx) => {
    const { document } = await requireRole(
      tx,
      documentId,
      userId,
      ['editor'],
      'document hernoemen / rename the document',
    );
    if (document.title === title) return { id: documentId, title };
    await tx.update(documents).set({ title }).where(eq(documents.id, documentId));
    await recordAudit(tx, {
      actorId: userId,
      action: 'document.renamed',
      documentId,
      details: { from: document.title, to: title },
    });
    return { id: documentId, title };
  });
}

/** Editors of a draft only; a signed-off document is never deleted (nor one on its way there). */
export async function deleteDocument(db: Database, userId: string, documentId: string) {
  return db.transaction(async (tx) => {
    const { document } = await requireRole(
      tx,
      documentId,
      userId,
      ['editor'],
      'document verwijderen / delete the document',
    );
    if (document.status !== 'draft') {
      throw new AppError(
        'conflict:not_draft',
        'Alleen een concept kan worden verwijderd. / Only a draft can be deleted.',
      );
    }
    const deletedAt = new Date();
    await tx.update(documents).set({ deletedAt }).where(eq(documents.id, documentId));
    await recordAudit(tx, {
      actorId: userId,
      action: 'document.deleted',
      documentId,
      details: { title: document.title },
    });
    return {
      id: documentId,
      deletedAt,
      restorableUntil: new Date(deletedAt.getTime() + restoreWindowDays * 86_400_000),
    };
  });
}

/** Undoes a soft delete within the window; only an editor of the document learns that it exists. */
export async function restoreDocument(db: Database, userId: string, documentId: string) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ deletedAt: documents.deletedAt, role: documentMembers.role })
      .from(documents)
      .innerJoin(documentMembers, and(eq(documentMembers.documentId, documents.id), eq(documentMembers.userId, userId)))
      .where(and(eq(documents.id, documentId), isNotNull(documents.deletedAt)))
      .for('update', { of: documents });
    const expired = row?.deletedAt && Date.now() - row.deletedAt.getTime() > restoreWindowDays * 86_400_000;
    if (!row || row.role !== 'editor' || expired) throw notFoundDocument();
    await tx.update(documents).set({ deletedAt: null }).where(eq(documents.id, documentId));
    await recordAudit(tx, { actorId: userId, action: 'document.restored', documentId });
    return { id: documentId };
  });
}

/**
 * A new draft with the content of the latest snapshot (what was last compacted), written on the server in the
 * creating transaction (createDocument), never seeded by a client. Any member who may read the document may
 * duplicate it; they become the editor of the copy, alone.
 */
export async function duplicateDocument(
  db: Database,
  userId: string,
  documentId: string,
  title?: string,
): Promise<DocumentSummary> {
  const { document } = await requireRole(
    db,
    documentId,
    userId,
    ['editor', 'chair', 'commenter', 'viewer'],
    'document kopiëren / duplicate',
  );
  const [snapshot] = await db
    .select({ json: documentSnapshots.json })
    .from(documentSnapshots)
    .where(eq(documentSnapshots.documentId, documentId));
  return createDocument(db, userId, {
    title: title ?? `Kopie van ${document.title}`.slice(0, 300),
    template: document.template,
    content: (snapshot?.json as PMNode | undefined) ?? undefined,
    auditDetails: { duplicatedFrom: documentId },
  });
}
