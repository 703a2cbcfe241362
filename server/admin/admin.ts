import { asc, eq, isNotNull } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client';
import { users } from '../../db/schema';
import type { AdminPersonView } from '../../common/admin';
import { AppError } from '../errors';
import { createUser, deactivateUser, reactivateUser, setAdmin, setOrganisation, type NewUser } from '../users/users';
import { bindDeps } from '../wiring';
import type { UpdatePersonInput } from './schemas';

/**
 * Administration through the web (issue 16): the same user functions the CLI calls (server/users/users.ts), behind
 * an administrator check that is re-read from the database on every call (a revoked flag works at once). Nobody
 * changes their own administrator flag or deactivates themselves, so an installation cannot lose its last
 * administrator by a slip of the hand. Every change is audited by the user functions.
 */
export const notAdmin = () => new AppError('forbidden:admin', 'Administrators only.');

export async function isAdministrator(db: Executor, userId: string): Promise<boolean> {
  const [row] = await db.select({ isAdmin: users.isAdmin }).from(users).where(eq(users.id, userId));
  return row?.isAdmin === true;
}

export async function requireAdmin(db: Executor, userId: string): Promise<void> {
  if (!(await isAdministrator(db, userId))) throw notAdmin();
}

const personNotFound = () => new AppError('not_found:user', 'Person not found.');

export async function listPeople(db: Database, actorId: string): Promise<AdminPersonView[]> {
  await requireAdmin(db, actorId);
  const rows = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      organisation: users.organisation,
      isAdmin: users.isAdmin,
      deactivatedAt: users.deactivatedAt,
    })
    .from(users)
    .orderBy(asc(users.organisation), asc(users.name));
  return rows.map(({ deactivatedAt, ...p }) => ({ ...p, active: !deactivatedAt }));
}

/** The organisations in use, for the page's choice list: derived from the people, so never out of step. */
export async function listOrganisations(db: Database, actorId: string): Promise<string[]> {
  await requireAdmin(db, actorId);
  const rows = await db
    .selectDistinct({ organisation: users.organisation })
    .from(users)
    .where(isNotNull(users.organisation))
    .orderBy(asc(users.organisation));
  return rows.map((r) => r.organisation!);
}

export async function addPerson(db: Database, actorId: string, input: NewUser) {
  await requireAdmin(db, actorId);
  return createUser(db, input, actorId);
}

export async function updatePerson(
  db: Database,
  actorId: string,
  userId: string,
  change: UpdatePersonInput,
): Promise<AdminPersonView> {
  await requireAdmin(db, actorId);
  const [exists] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  if (!exists) throw personNotFound();
  if ('active' in change) {
    if (userId === actorId && !change.active)
      throw new AppError('forbidden:own_account', 'You cannot deactivate yourself.');
    await (change.active ? reactivateUser(db, userId, actorId) : deactivateUser(db, userId, actorId));
  } else if ('isAdmin' in change) {
    if (userId === actorId) throw new AppError('forbidden:own_admin', 'You cannot change your own administrator flag.');
    await setAdmin(db, userId, change.isAdmin, actorId);
  } else {
    await setOrganisation(db, userId, change.organisation, actorId);
  }
  const person = (await listPeople(db, actorId)).find((p) => p.id === userId);
  if (!person) throw personNotFound();
  return person;
}

/** Administration of one server: `createAdmin({ db }).people(actorId)`, … (every call checks the actor). */
export const createAdmin = ({ db }: { db: Database }) =>
  bindDeps(db, {
    people: listPeople,
    organisations: listOrganisations,
    add: addPerson,
    update: updatePerson,
    isAdmin: isAdministrator,
  });
