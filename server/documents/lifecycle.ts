/**
 * A document's life outside the workflow: rename, archive (and unarchive), soft delete (and restore within the
 * retention window), duplicate, and the purge of documents deleted longer ago than that window. Each change is one
 * transaction with its audit event, and reaches the open collaboration connections at once: archiving makes every
 * one read-only, deleting closes them as for a document that does not exist (4403). A deleted document is a 404 for
 * everyone (server/documents/access.ts), except `restoreDocument` for one of its editors.
 */
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { documentAttachments, documentMembers, documentSnapshots, documents } from '../../db/schema';
import { recordAudit } from '../audit/audit';
import type { CollabServer } from '../collab/server';
import { AppError, notFoundDocument } from '../errors';
import { bindDeps } from '../wiring';
import { assertNotArchived, requireRole } from './access';
import { createDocument, type DocumentSummary } from './documents';
import type { PMNode } from '../content/prosemirror';

/** How long a deleted document can be restored; the purge removes it for good after that. */
export const restoreWindowDays = 30;
export const restoreWindowMs = restoreWindowDays * 86_400_000;

export interface LifecycleDeps {
  db: Database;
  collab: Pick<CollabServer, 'setArchived' | 'documentDeleted'>;
  /** The restore window (tests shorten it); default 30 days. */
  retentionMs?: number;
  /** Stored files that may have lost their last reference (attachments of purged documents). */
  filesReleased?: (shas: string[]) => Promise<void>;
}

export async function renameDocument({ db }: LifecycleDeps, userId: string, documentId: string, title: string) {
  return db.transaction(async (tx) => {
    const { document } = await requireRole(tx, documentId, userId, ['editor'], 'rename the document');
    assertNotArchived(document);
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

/**
 * Archive (editors, any status): read-only for everyone and out of the default list, until unarchived. Open
 * connections become read-only in the same step as the stored change is known.
 */
export async function archiveDocument(deps: LifecycleDeps, userId: string, documentId: string, archive: boolean) {
  const result = await deps.db.transaction(async (tx) => {
    const { document } = await requireRole(tx, documentId, userId, ['editor'], archive ? 'archive' : 'unarchive');
    const [row] = await tx
      .select({ archivedAt: documents.archivedAt, status: documents.status })
      .from(documents)
      .where(eq(documents.id, documentId))
      .for('update');
    if (archive) assertNotArchived(row!);
    if (!archive && !row!.archivedAt) throw new AppError('conflict:not_archived', 'The document is not archived.');
    const archivedAt = archive ? new Date() : null;
    await tx.update(documents).set({ archivedAt }).where(eq(documents.id, documentId));
    await recordAudit(tx, {
      actorId: userId,
      action: archive ? 'document.archived' : 'document.unarchived',
      documentId,
      details: { title: document.title },
    });
    return { id: documentId, status: row!.status, archived: archive, archivedAt };
  });
  deps.collab.setArchived(documentId, result.status, archive);
  return { id: result.id, archived: result.archived, archivedAt: result.archivedAt };
}

/** Editors of a draft only; a signed-off document is never deleted (nor one on its way there). */
export async function deleteDocument(deps: LifecycleDeps, userId: string, documentId: string) {
  const retentionMs = deps.retentionMs ?? restoreWindowMs;
  const deleted = await deps.db.transaction(async (tx) => {
    const { document } = await requireRole(tx, documentId, userId, ['editor'], 'delete the document');
    // Locked, so a status change cannot slip between this check and the delete.
    const [row] = await tx
      .select({ status: documents.status, archivedAt: documents.archivedAt })
      .from(documents)
      .where(eq(documents.id, documentId))
      .for('update');
    if (row!.status !== 'draft') {
      throw new AppError('conflict:not_draft', 'Only a draft can be deleted.');
    }
    assertNotArchived(row!);
    const deletedAt = new Date();
    await tx.update(documents).set({ deletedAt }).where(eq(documents.id, documentId));
    await recordAudit(tx, {
      actorId: userId,
      action: 'document.deleted',
      documentId,
      details: { title: document.title },
    });
    const members = await tx
      .select({ userId: documentMembers.userId })
      .from(documentMembers)
      .where(eq(documentMembers.documentId, documentId));
    return { deletedAt, members: members.map((m) => m.userId) };
  });
  deps.collab.documentDeleted(documentId, deleted.members);
  return {
    id: documentId,
    deletedAt: deleted.deletedAt,
    restorableUntil: new Date(deleted.deletedAt.getTime() + retentionMs),
  };
}

/** Undoes a soft delete within the window; only an editor of the document learns that it exists. */
export async function restoreDocument(deps: LifecycleDeps, userId: string, documentId: string) {
  const retentionMs = deps.retentionMs ?? restoreWindowMs;
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ deletedAt: documents.deletedAt, role: documentMembers.role })
      .from(documents)
      .innerJoin(documentMembers, and(eq(documentMembers.documentId, documents.id), eq(documentMembers.userId, userId)))
      .where(and(eq(documents.id, documentId), isNotNull(documents.deletedAt)))
      .for('update', { of: documents });
    const expired = row?.deletedAt && Date.now() - row.deletedAt.getTime() > retentionMs;
    if (!row || row.role !== 'editor' || expired) throw notFoundDocument();
    await tx.update(documents).set({ deletedAt: null }).where(eq(documents.id, documentId));
    await recordAudit(tx, { actorId: userId, action: 'document.restored', documentId });
    return { id: documentId };
  });
}

/**
 * Removes documents deleted longer ago than the window, for good (their members, snapshots, log, versions,
 * comments and attachment rows go with them by cascade). Rows are claimed with `FOR UPDATE SKIP LOCKED`, so
 * several processes running this at once each purge a document at most once, and a restore that holds the row
 * lock wins. The audit event outlives the document (its `document_id` is not set: the row is gone).
 */
export async function purgeDeleted(deps: LifecycleDeps, options: { batch?: number } = {}) {
  const retentionMs = deps.retentionMs ?? restoreWindowMs;
  const cutoff = new Date(Date.now() - retentionMs);
  const batch = options.batch ?? 100;
  let purged = 0;
  for (;;) {
    const done = await deps.db.transaction(async (tx) => {
      const rows = (
        (await tx.execute(sql`select id, title, deleted_at from ${documents}
          where ${documents.deletedAt} is not null and ${documents.deletedAt} < ${cutoff.toISOString()}::timestamptz
          order by ${documents.deletedAt} limit ${batch} for update skip locked`)) as unknown as {
          rows: { id: string; title: string; deleted_at: string | Date }[];
        }
      ).rows;
      const files: string[] = [];
      for (const row of rows) {
        const attached = await tx
          .select({ sha256: documentAttachments.sha256 })
          .from(documentAttachments)
          .where(eq(documentAttachments.documentId, row.id));
        files.push(...attached.map((a) => a.sha256));
        await tx.delete(documents).where(eq(documents.id, row.id));
        await recordAudit(tx, {
          actorId: null,
          action: 'document.purged',
          details: { documentId: row.id, title: row.title, deletedAt: new Date(row.deleted_at).toISOString() },
        });
      }
      return { count: rows.length, files };
    });
    purged += done.count;
    if (done.files.length) await deps.filesReleased?.(done.files);
    if (done.count < batch) return { purged };
  }
}

/**
 * A new draft with the content of the latest snapshot (what was last compacted), written on the server in the
 * creating transaction (createDocument), never seeded by a client. Any member who may read the document may
 * duplicate it; they become the editor of the copy, alone. Attachments are not copied (they belong to the
 * original's decision; attach what the new memo needs).
 */
export async function duplicateDocument(
  { db }: LifecycleDeps,
  userId: string,
  documentId: string,
  title?: string,
): Promise<DocumentSummary> {
  const { document } = await requireRole(
    db,
    documentId,
    userId,
    ['editor', 'chair', 'commenter', 'viewer'],
    'duplicate',
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

/** The lifecycle of one server's documents: `createLifecycle({ db, collab }).archive(userId, id, true)`. */
export const createLifecycle = (deps: LifecycleDeps) =>
  bindDeps(deps, {
    rename: renameDocument,
    archive: archiveDocument,
    delete: deleteDocument,
    restore: restoreDocument,
    duplicate: duplicateDocument,
    purge: purgeDeleted,
  });
