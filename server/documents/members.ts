import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Executor } from '../../db/client';
import { documentMembers, documents, users, type DocumentStatus, type MemberRole } from '../../db/schema';
import { recordAudit } from '../audit/audit';
import { AppError } from '../errors';
import { requireMembership, requireRole } from './access';
import type { CollabServer } from '../collab/server';

/**
 * Membership changes, with separation of duties:
 * - editors invite, change roles and remove members, but never touch the `chair` role;
 * - the chair role is granted or taken away only by an administrator (`users.is_admin`) who is a member of the
 *   document (in any role: documents stay invisible to non-members, administrators included), or handed over by a
 *   current chair: `PATCH …/members/<other> {role: "chair"}` by a chair makes the other chair and the old chair a
 *   commenter, in one transaction;
 * - nobody raises their own role (not even an administrator: nobody signs off what they made themselves chair of);
 *   an editor may step down to commenter or viewer, but the chair's own role changes only by a hand-over or an
 *   administrator;
 * - a document past `draft` (in review, ready or signed off) keeps at least one chair.
 * Every change takes the document's row lock first, so these counting rules hold under concurrent requests.
 */
export interface MembershipChange {
  documentId: string;
  userId: string;
  /** `null`: removed. */
  role: MemberRole | null;
}

/** A role change; on a hand-over also what happened to the chair who handed over. */
export interface RoleChange extends MembershipChange {
  previousChair?: MembershipChange;
}

/** What the old chair becomes after a hand-over: still heard (comments), no longer signing, never more than before. */
export const roleAfterHandOver: MemberRole = 'commenter';

/** Serialises membership changes per document, so the last-editor and last-chair rules hold under concurrent requests. */
async function lockDocument(tx: Executor, documentId: string): Promise<DocumentStatus | undefined> {
  if (!z.uuid().safeParse(documentId).success) return undefined;
  const rows = await tx.execute(sql`select status from ${documents} where ${documents.id} = ${documentId} for update`);
  return (rows as unknown as { rows: { status: DocumentStatus }[] }).rows[0]?.status;
}

async function countRole(tx: Executor, documentId: string, role: MemberRole): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(documentMembers)
    .where(and(eq(documentMembers.documentId, documentId), eq(documentMembers.role, role)));
  return row?.n ?? 0;
}

async function currentRole(tx: Executor, documentId: string, userId: string) {
  if (!z.uuid().safeParse(userId).success) return undefined;
  const [row] = await tx
    .select({ role: documentMembers.role })
    .from(documentMembers)
    .where(and(eq(documentMembers.documentId, documentId), eq(documentMembers.userId, userId)));
  return row?.role;
}

/** Read inside the transaction: an administrator whose flag was just taken away is no longer one. */
async function isAdmin(tx: Executor, userId: string): Promise<boolean> {
  const [row] = await tx.select({ isAdmin: users.isAdmin }).from(users).where(eq(users.id, userId));
  return row?.isAdmin === true;
}

async function setRole(tx: Executor, documentId: string, userId: string, role: MemberRole) {
  await tx
    .update(documentMembers)
    .set({ role })
    .where(and(eq(documentMembers.documentId, documentId), eq(documentMembers.userId, userId)));
}

const lastEditor = () => new AppError('conflict:last_editor', 'The last editor cannot be removed or changed.');
const lastChair = () =>
  new AppError('conflict:last_chair', 'A document in review or later keeps a chair: hand the role over first.');
const ownRole = () => new AppError('forbidden:own_role', 'You cannot change your own role.');
const chairOnlyByAdmin = () =>
  new AppError(
    'forbidden:chair_role',
    'Only an administrator or the current chair can grant or take away the chair role.',
  );
/** Roles other than chair, from most to least: a step down is a move to the right. Chair is beside them, not above. */
const rank: Partial<Record<MemberRole, number>> = { editor: 2, commenter: 1, viewer: 0 };
const isStepDown = (from: MemberRole, to: MemberRole) =>
  rank[from] !== undefined && rank[to] !== undefined && rank[to]! < rank[from]!;

const notMember = () => new AppError('not_found:member', 'Not a member of this document.');

/** Outside `draft` the document is being decided on (review, ready, signed off): it must keep someone who can sign. */
async function assertKeepsChair(tx: Executor, documentId: string, status: DocumentStatus) {
  if (status !== 'draft' && (await countRole(tx, documentId, 'chair')) <= 1) throw lastChair();
}

/** An address without an account: an invitation instead (server/invitations), made in the same transaction. */
export type InviteInstead = (
  tx: Executor,
  input: { actorId: string; documentId: string; email: string; role: MemberRole },
) => Promise<InvitationSent>;
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
  return db.transaction((tx) => addMemberIn(tx, actorId, documentId, input, options));
}

/** `addMember` inside the caller's transaction: a group adds all of its people in one (server/groups). */
export async function addMemberIn(
  tx: Executor,
  actorId: string,
  documentId: string,
  input: { email: string; role: MemberRole },
  options: { invite?: InviteInstead } = {},
): Promise<MembershipChange | InvitationSent> {
  // Inviting someone as chair is a grant of the chair role: an administrator's decision, whatever their role here.
  // That holds for an invitation by e-mail too.
  if (input.role === 'chair') {
    await requireMembership(tx, documentId, actorId);
    if (!(await isAdmin(tx, actorId))) throw chairOnlyByAdmin();
  } else {
    await requireRole(tx, documentId, actorId, ['editor'], 'invite members');
  }
  const [user] = await tx
    .select({ id: users.id, deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(sql`lower(${users.email}) = ${input.email}`);
  // No account at all: an invitation. A deactivated account stays out (no invitation would get round that).
  if (!user && options.invite) return options.invite(tx, { actorId, documentId, email: input.email, role: input.role });
  if (!user || user.deactivatedAt)
    throw new AppError('not_found:user', `No user with the e-mail address ${input.email}.`);
  const inserted = await tx
    .insert(documentMembers)
    .values({ documentId, userId: user.id, role: input.role })
    .onConflictDoNothing()
    .returning({ userId: documentMembers.userId });
  if (!inserted.length) throw new AppError('conflict:member_exists', 'Already a member.');
  await recordAudit(tx, {
    actorId,
    action: 'member.added',
    documentId,
    details: { userId: user.id, email: input.email, role: input.role },
  });
  await tx.update(documents).set({ updatedAt: new Date() }).where(eq(documents.id, documentId));
  return { documentId, userId: user.id, role: input.role };
}

export async function changeRole(
  db: Database,
  actorId: string,
  documentId: string,
  userId: string,
  role: MemberRole,
): Promise<RoleChange> {
  return db.transaction(async (tx) => {
    // Lock first: a parallel request demoting this editor or chair is then either fully before or fully after.
    const status = await lockDocument(tx, documentId);
    const { role: actorRole } = await requireMembership(tx, documentId, actorId);
    const before = await currentRole(tx, documentId, userId);
    if (!before) throw notMember();
    // Who may make this change at all comes first; that it is one's own role is refused after, for everyone.
    const touchesChair = before === 'chair' || role === 'chair';
    const handingOver = touchesChair && actorRole === 'chair' && role === 'chair' && userId !== actorId;
    if (touchesChair && !handingOver && !(await isAdmin(tx, actorId))) throw chairOnlyByAdmin();
    if (!touchesChair && actorRole !== 'editor') {
      throw new AppError('forbidden:document', `Your role (${actorRole}) may not change roles.`);
    }
    if (userId === actorId && !isStepDown(before, role)) throw ownRole();
    if (before === role) return { documentId, userId, role };
    if (handingOver) return handOver(tx, { actorId, documentId, userId, before });

    if (before === 'editor' && (await countRole(tx, documentId, 'editor')) <= 1) throw lastEditor();
    if (before === 'chair') await assertKeepsChair(tx, documentId, status!);
    await setRole(tx, documentId, userId, role);
    await recordAudit(tx, {
      actorId,
      action: 'member.role_changed',
      documentId,
      details: { userId, from: before, to: role, ...(touchesChair ? { asAdmin: true } : {}) },
    });
    return { documentId, userId, role };
  });
}

/** The chair makes another member chair and steps down to `roleAfterHandOver` in the same transaction. */
async function handOver(
  tx: Executor,
  change: { actorId: string; documentId: string; userId: string; before: MemberRole },
): Promise<RoleChange> {
  const { actorId, documentId, userId, before } = change;
  if (before === 'editor' && (await countRole(tx, documentId, 'editor')) <= 1) throw lastEditor();
  await setRole(tx, documentId, userId, 'chair');
  await setRole(tx, documentId, actorId, roleAfterHandOver);
  await recordAudit(tx, {
    actorId,
    action: 'member.chair_handed_over',
    documentId,
    details: { from: actorId, to: userId, previousRoleOfNewChair: before, newRoleOfOldChair: roleAfterHandOver },
  });
  return { documentId, userId, role: 'chair', previousChair: { documentId, userId: actorId, role: roleAfterHandOver } };
}

export async function removeMember(
  db: Database,
  actorId: string,
  documentId: string,
  userId: string,
): Promise<MembershipChange> {
  return db.transaction(async (tx) => {
    // Lock first: a parallel request demoting this editor or chair is then either fully before or fully after.
    const status = await lockDocument(tx, documentId);
    const { role: actorRole } = await requireMembership(tx, documentId, actorId);
    const before = await currentRole(tx, documentId, userId);
    if (!before) throw notMember();
    if (before === 'chair') {
      // Taking the chair away, also by removal, is an administrator's decision (a chair leaves by handing over).
      if (!(await isAdmin(tx, actorId))) throw chairOnlyByAdmin();
      await assertKeepsChair(tx, documentId, status!);
    } else if (actorRole !== 'editor') {
      throw new AppError('forbidden:document', `Your role (${actorRole}) may not remove members.`);
    }
    if (before === 'editor' && (await countRole(tx, documentId, 'editor')) <= 1) throw lastEditor();
    await tx
      .delete(documentMembers)
      .where(and(eq(documentMembers.documentId, documentId), eq(documentMembers.userId, userId)));
    await recordAudit(tx, { actorId, action: 'member.removed', documentId, details: { userId, role: before } });
    return { documentId, userId, role: null };
  });
}

/**
 * Members of one server's documents. A committed change reaches the open collaboration connections at once
 * (downgrade, upgrade or disconnect); a hand-over changes two people's roles, and both follow.
 */
export function createMembers({
  db,
  collab,
  invite,
  invited,
}: {
  db: Database;
  collab: Pick<CollabServer, 'membershipChanged'>;
  /** An address without an account gets an invitation by e-mail instead: `{invited: true, email, role}`. */
  invite?: () => InviteInstead;
  /** After an invitation committed (e.g. to send its mail now rather than at the next poll). */
  invited?: () => void;
}) {
  const applied = <C extends MembershipChange>(change: C): C => {
    collab.membershipChanged(change);
    return change;
  };
  return {
    add: async (actorId: string, documentId: string, input: { email: string; role: MemberRole }) => {
      const result = await addMember(db, actorId, documentId, input, { invite: invite?.() });
      if ('invited' in result) {
        invited?.();
        return result;
      }
      return applied(result);
    },
    changeRole: async (actorId: string, documentId: string, userId: string, role: MemberRole) => {
      const change = await changeRole(db, actorId, documentId, userId, role);
      if (change.previousChair) applied(change.previousChair);
      return applied(change);
    },
    remove: async (actorId: string, documentId: string, userId: string) =>
      applied(await removeMember(db, actorId, documentId, userId)),
  };
}
