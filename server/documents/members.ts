import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Executor } from '../../db/client';
import { documentMembers, documents, users, type MemberRole } from '../../db/schema';
import { recordAudit } from '../audit/audit';
import { AppError } from '../errors';
import { requireRole } from './access';

export interface MembershipChange {
  documentId: string;
  userId: string;
  /** `null`: removed. */
  role: MemberRole | null;
}

/** Serialises membership changes per document, so the last-editor rule holds under concurrent requests. */
async function lockDocument(tx: Executor, documentId: string) {
  await tx.execute(sql`select id from ${documents} where ${documents.id} = ${documentId} for update`);
}

async function editorCount(tx: Executor, documentId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(documentMembers)
    .where(and(eq(documentMembers.documentId, documentId), eq(documentMembers.role, 'editor')));
  return row?.n ?? 0;
}

async function currentRole(tx: Executor, documentId: string, userId: string) {
  const [row] = await tx
    .select({ role: documentMembers.role })
    .from(documentMembers)
    .where(and(eq(documentMembers.documentId, documentId), eq(documentMembers.userId, userId)));
  return row?.role;
}

const lastEditor = () =>
  new AppError('conflict:last_editor', 'De laatste editor kan niet worden verwijderd of gewijzigd. / The last editor cannot be removed or changed.');

/** An address without an account: an invitation instead (server/invitations), made in the same transaction. */
export type InviteInstead = (tx: Executor, input: { actorId: string; documentId: string; email: string; role: MemberRole }) => Promise<InvitationSent>;
export interface InvitationSent {
  invited: true;
  email: string;
  role: MemberRole;
}

export async function addMember(
  db: Database,
  actorId: string,
  documentId: string,
  input: { email: string; role: MemberRole },
  options: { invite?: InviteInstead } = {},
): Promise<MembershipChange | InvitationSent> {
  return db.transaction(async (tx): Promise<MembershipChange | InvitationSent> => {
    await requireRole(tx, documentId, actorId, ['editor'], 'leden uitnodigen / invite members');
    const [user] = await tx
      .select({ id: users.id, deactivatedAt: users.deactivatedAt })
      .from(users)
      .where(sql`lower(${users.email}) = ${input.email}`);
    // No account at all: an invitation. A deactivated account stays out (no invitation would get round that).
    if (!user && options.invite) return options.invite(tx, { actorId, documentId, email: input.email, role: input.role });
    if (!user || user.deactivatedAt) throw new AppError('not_found:user', `Geen gebruiker met e-mailadres ${input.email}. / No user with that e-mail address.`);
    const inserted = await tx
      .insert(documentMembers)
      .values({ documentId, userId: user.id, role: input.role })
      .onConflictDoNothing()
      .returning({ userId: documentMembers.userId });
    if (!inserted.length) throw new AppError('conflict:member_exists', 'Deze persoon is al lid van het document. / Already a member.');
    await recordAudit(tx, { actorId, action: 'member.added', documentId, details: { userId: user.id, email: input.email, role: input.role } });
    await tx.update(documents).set({ updatedAt: new Date() }).where(eq(documents.id, documentId));
    return { documentId, userId: user.id, role: input.role };
  });
}

export async function changeRole(db: Database, actorId: string, documentId: string, userId: string, role: MemberRole): Promise<MembershipChange> {
  return db.transaction(async (tx) => {
    // Lock first: a parallel request demoting this editor is then either fully before or fully after.
    await lockDocument(tx, documentId);
    await requireRole(tx, documentId, actorId, ['editor'], 'rollen wijzigen / change roles');
    const before = z.uuid().safeParse(userId).success ? await currentRole(tx, documentId, userId) : undefined;
    if (!before) throw new AppError('not_found:member', 'Geen lid van dit document. / Not a member of this document.');
    if (before === role) return { documentId, userId, role };
    if (before === 'editor' && (await editorCount(tx, documentId)) <= 1) throw lastEditor();
    await tx
      .update(documentMembers)
      .set({ role })
      .where(and(eq(documentMembers.documentId, documentId), eq(documentMembers.userId, userId)));
    await recordAudit(tx, { actorId, action: 'member.role_changed', documentId, details: { userId, from: before, to: role } });
    return { documentId, userId, role };
  });
}

export async function removeMember(db: Database, actorId: string, documentId: string, userId: string): Promise<MembershipChange> {
  return db.transaction(async (tx) => {
    // Lock first: a parallel request demoting this editor is then either fully before or fully after.
    await lockDocument(tx, documentId);
    await requireRole(tx, documentId, actorId, ['editor'], 'leden verwijderen / remove members');
    const before = z.uuid().safeParse(userId).success ? await currentRole(tx, documentId, userId) : undefined;
    if (!before) throw new AppError('not_found:member', 'Geen lid van dit document. / Not a member of this document.');
    if (before === 'editor' && (await editorCount(tx, documentId)) <= 1) throw lastEditor();
    await tx.delete(documentMembers).where(and(eq(documentMembers.documentId, documentId), eq(documentMembers.userId, userId)));
    await recordAudit(tx, { actorId, action: 'member.removed', documentId, details: { userId, role: before } });
    return { documentId, userId, role: null };
  });
}
