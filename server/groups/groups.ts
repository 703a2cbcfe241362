import { asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client';
import { peopleGroupMembers, peopleGroups, users, type MemberRole } from '../../db/schema';
import type { GroupAddResult, GroupSummary, GroupView } from '../../common/admin';
import { recordAudit } from '../audit/audit';
import { notAdmin, isAdministrator, requireAdmin } from '../admin/admin';
import { requireMembership, requireRole } from '../documents/access';
import { addMemberIn, type MembershipChange } from '../documents/members';
import { AppError, isAppError } from '../errors';
import { bindDeps } from '../wiring';

/**
 * "Alle burgemeesters"-style groups (issue 16). Administrators keep them; an editor adds a group to a document with
 * one role in one step. The group is only a way to add people: each person becomes a document member of their own,
 * through the members module's own `add` (so the chair rules, the audit and the live connections are exactly those
 * of adding one person), and later changes are per person. People who are already members are skipped, as are
 * deactivated people.
 */
export interface GroupsDeps {
  db: Database;
  /** Tells open collaboration connections of a committed membership (server/collab, `membershipChanged`). */
  membershipChanged: (change: MembershipChange) => void;
}

const groupNotFound = () => new AppError('not_found:group', 'Group not found.');
const duplicateName = () => new AppError('conflict:group_name', 'A group with this name exists.');

async function assertUsersExist(tx: Executor, ids: string[]) {
  if (!ids.length) return;
  const found = await tx.select({ id: users.id }).from(users).where(inArray(users.id, ids));
  if (found.length !== ids.length) throw new AppError('invalid:group_members', 'Unknown person in the group.');
}

async function nameTaken(tx: Executor, name: string, except?: string) {
  const [row] = await tx
    .select({ id: peopleGroups.id })
    .from(peopleGroups)
    .where(sql`lower(${peopleGroups.name}) = lower(${name})`);
  return !!row && row.id !== except;
}

export async function listGroups(db: Database, actorId: string): Promise<GroupView[]> {
  await requireAdmin(db, actorId);
  const groups = await db.select().from(peopleGroups).orderBy(asc(peopleGroups.name));
  const rows = await db
    .select({ groupId: peopleGroupMembers.groupId, id: users.id, name: users.name, organisation: users.organisation })
    .from(peopleGroupMembers)
    .innerJoin(users, eq(users.id, peopleGroupMembers.userId))
    .orderBy(asc(users.organisation), asc(users.name));
  return groups.map((g) => ({
    id: g.id,
    name: g.name,
    members: rows.filter((r) => r.groupId === g.id).map(({ groupId: _, ...m }) => m),
  }));
}

/** Names and sizes, for any signed-in person's "add group" choice (who is in a group is for administrators). */
export async function groupSummaries(db: Database): Promise<GroupSummary[]> {
  return db
    .select({ id: peopleGroups.id, name: peopleGroups.name, memberCount: count(peopleGroupMembers.userId) })
    .from(peopleGroups)
    .leftJoin(peopleGroupMembers, eq(peopleGroupMembers.groupId, peopleGroups.id))
    .groupBy(peopleGroups.id)
    .orderBy(asc(peopleGroups.name));
}

export async function createGroup(
  db: Database,
  actorId: string,
  input: { name: string; memberIds: string[] },
): Promise<{ id: string }> {
  await requireAdmin(db, actorId);
  return db.transaction(async (tx) => {
    if (await nameTaken(tx, input.name)) throw duplicateName();
    await assertUsersExist(tx, input.memberIds);
    const [group] = await tx
      .insert(peopleGroups)
      .values({ name: input.name, createdBy: actorId })
      .returning({ id: peopleGroups.id });
    if (input.memberIds.length)
      await tx.insert(peopleGroupMembers).values(input.memberIds.map((userId) => ({ groupId: group!.id, userId })));
    await recordAudit(tx, {
      actorId,
      action: 'group.created',
      details: { groupId: group!.id, name: input.name, memberIds: input.memberIds },
    });
    return group!;
  });
}

/** Renames a group and/or replaces its member list. */
export async function updateGroup(
  db: Database,
  actorId: string,
  groupId: string,
  input: { name?: string; memberIds?: string[] },
): Promise<void> {
  await requireAdmin(db, actorId);
  await db.transaction(async (tx) => {
    const [group] = await tx.select().from(peopleGroups).where(eq(peopleGroups.id, groupId)).for('update');
    if (!group) throw groupNotFound();
    if (input.name !== undefined) {
      if (await nameTaken(tx, input.name, groupId)) throw duplicateName();
      await tx.update(peopleGroups).set({ name: input.name }).where(eq(peopleGroups.id, groupId));
    }
    if (input.memberIds) {
      await assertUsersExist(tx, input.memberIds);
      await tx.delete(peopleGroupMembers).where(eq(peopleGroupMembers.groupId, groupId));
      if (input.memberIds.length)
        await tx.insert(peopleGroupMembers).values(input.memberIds.map((userId) => ({ groupId, userId })));
    }
    await recordAudit(tx, { actorId, action: 'group.updated', details: { groupId, ...input } });
  });
}

export async function deleteGroup(db: Database, actorId: string, groupId: string): Promise<void> {
  await requireAdmin(db, actorId);
  await db.transaction(async (tx) => {
    const deleted = await tx.delete(peopleGroups).where(eq(peopleGroups.id, groupId)).returning();
    if (!deleted.length) throw groupNotFound();
    await recordAudit(tx, { actorId, action: 'group.deleted', details: { groupId, name: deleted[0]!.name } });
  });
}

/**
 * Adds every active person of the group to the document with one role, in one transaction: all or nobody. Each
 * person becomes a member as if added on their own (members.ts `addMemberIn`: the same checks and audit event), so
 * later changes are per person. A person who already was a member, or is deactivated, is skipped and reported.
 * Open connections learn of the new members after the commit.
 */
export async function addGroupToDocument(
  { db, membershipChanged }: GroupsDeps,
  actorId: string,
  documentId: string,
  input: { groupId: string; role: MemberRole },
): Promise<GroupAddResult> {
  const { result, changes } = await db.transaction(async (tx) => {
    // A non-member learns nothing, not even whether the group exists: the document's 404 comes first. The right to
    // add is checked up front too (addMemberIn checks it again per person), so a refused request adds nobody.
    if (input.role === 'chair') {
      await requireMembership(tx, documentId, actorId);
      if (!(await isAdministrator(tx, actorId))) throw notAdmin();
    } else await requireRole(tx, documentId, actorId, ['editor'], 'invite members');
    const [group] = await tx.select().from(peopleGroups).where(eq(peopleGroups.id, input.groupId));
    if (!group) throw groupNotFound();
    const people = await tx
      .select({ id: users.id, email: users.email, name: users.name, deactivatedAt: users.deactivatedAt })
      .from(peopleGroupMembers)
      .innerJoin(users, eq(users.id, peopleGroupMembers.userId))
      .where(eq(peopleGroupMembers.groupId, input.groupId))
      .orderBy(asc(users.name));
    const result: GroupAddResult = { added: [], skipped: [] };
    const changes: MembershipChange[] = [];
    for (const person of people) {
      const who = { userId: person.id, name: person.name };
      if (person.deactivatedAt) {
        result.skipped.push({ ...who, reason: 'deactivated' });
        continue;
      }
      try {
        // No invitation callback: everyone in a group has an account, so this always adds or refuses.
        const change = await addMemberIn(tx, actorId, documentId, {
          email: person.email.toLowerCase(),
          role: input.role,
        });
        if ('userId' in change) changes.push(change);
        result.added.push(who);
      } catch (err) {
        // Both refusals below come from our own checks after statements that succeeded (the insert that found the
        // member is a no-op), never from a failed SQL statement, so the transaction can go on.
        if (isAppError(err) && err.code === 'conflict:member_exists')
          result.skipped.push({ ...who, reason: 'already_member' });
        // Deactivated between the list above and the insert: skipped like one who was deactivated before.
        else if (isAppError(err) && err.code === 'not_found:user')
          result.skipped.push({ ...who, reason: 'deactivated' });
        else throw err;
      }
    }
    if (result.added.length) {
      await recordAudit(tx, {
        actorId,
        action: 'group.added_to_document',
        documentId,
        details: { groupId: group.id, name: group.name, role: input.role, added: result.added.map((a) => a.userId) },
      });
    }
    return { result, changes };
  });
  for (const change of changes) membershipChanged(change);
  return result;
}

/** Groups of one server: administration (`list`, `create`, …) and an editor's `addToDocument`. */
export const createGroups = (deps: GroupsDeps) => ({
  ...bindDeps(deps.db, { list: listGroups, create: createGroup, update: updateGroup, remove: deleteGroup }),
  summaries: () => groupSummaries(deps.db),
  ...bindDeps(deps, { addToDocument: addGroupToDocument }),
});
