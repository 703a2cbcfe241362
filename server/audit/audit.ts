import { desc, eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client';
import { auditEvents, users } from '../../db/schema';

export type AuditAction =
  | 'document.created'
  /** A signed-off document left the system as a file (format, signed version, its SHA-256). */
  | 'export.signed'
  | 'member.added'
  | 'member.role_changed'
  /** The chair made another member chair and stepped down in the same transaction. */
  | 'member.chair_handed_over'
  | 'member.removed'
  | 'invitation.created'
  | 'invitation.resent'
  | 'invitation.withdrawn'
  | 'invitation.accepted'
  | 'user.created'
  | 'document.status_changed'
  | 'document.signed_off'
  | 'document.reopened'
  | 'version.named'
  | 'version.restored'
  | 'round.opened'
  | 'round.responded'
  | 'round.closed'
  /** A message about a round, until the e-mail outbox sends it (server/rounds/notify.ts). */
  | 'round.mail_queued'
  | 'document.renamed'
  | 'document.deleted'
  | 'document.restored'
  | 'user.updated'
  /** A suggestion was accepted, rejected or withdrawn by its author (details: id, author, kind, text). */
  | 'suggestion.accepted'
  | 'suggestion.rejected'
  | 'suggestion.withdrawn'
  | 'document.archived'
  | 'document.unarchived'
  /** A soft-deleted document past its 30 days, removed for good (server/documents/purge.ts). */
  | 'document.purged'
  | 'attachment.added'
  | 'attachment.removed'
  | 'user.deactivated'
  | 'user.reactivated'
  | 'user.admin_granted'
  | 'user.admin_revoked'
  | 'group.created'
  | 'group.updated'
  | 'group.deleted'
  /** An editor added a group's people to a document (each also has its own `member.added`). */
  | 'group.added_to_document'
  | 'meeting.created'
  | 'meeting.updated'
  | 'agenda.placed'
  | 'agenda.removed';

export async function recordAudit(
  tx: Executor,
  event: { actorId: string | null; action: AuditAction; documentId?: string | null; details?: Record<string, unknown> },
) {
  await tx.insert(auditEvents).values({
    actorId: event.actorId,
    action: event.action,
    documentId: event.documentId ?? null,
    details: event.details ?? {},
  });
}

export async function listDocumentAudit(db: Database, documentId: string, limit = 200) {
  return db
    .select({
      id: auditEvents.id,
      action: auditEvents.action,
      details: auditEvents.details,
      createdAt: auditEvents.createdAt,
      actorName: users.name,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorId))
    .where(eq(auditEvents.documentId, documentId))
    .orderBy(desc(auditEvents.id))
    .limit(limit);
}
