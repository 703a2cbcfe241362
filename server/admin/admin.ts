import { asc, count, eq, ilike, isNotNull, or } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client';
import { users } from '../../db/schema';
import type { AdminPersonView, PeoplePage } from '../../common/admin';
import { AppError } from '../errors';
import { createUser, deactivateUser, reactivateUser, setAdmin, setOrganisation, type NewUser } from '../users/users';
import { bindDeps } from '../wiring';
import type { PeopleQuery, UpdatePersonInput } from './schemas';

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

const personView = {
  id: users.id,
  email: users.email,
  name: users.name,
  organisation: users.organisation,
  isAdmin: users.isAdmin,
  deactivatedAt: users.deactivatedAt,
};
const toView = ({ deactivatedAt, ...p }: { deactivatedAt: Date | null } & Omit<AdminPersonView, 'active'>) => ({
  ...p,
  active: !deactivatedAt,
});

/** Everyone, by organisation and name: what the group forms choose from. */
export async function listPeople(db: Database, actorId: string): Promise<AdminPersonView[]> {
  await requireAdmin(db, actorId);
  const rows = await db.select(personView).from(users).orderBy(asc(users.organisation), asc(users.name));
  return rows.map(toView);
}

/**
 * One page of the people table, by organisation and name, optionally only those whose name, e-mail address or
 * organisation contains `q` (case-insensitive; `%` and `_` match themselves). A whole safety region or a province
 * is thousands of people: the table never shows them all at once (the group forms still list everyone active).
 */
export async function peoplePage(db: Database, actorId: string, query: PeopleQuery): Promise<PeoplePage> {
  await requireAdmin(db, actorId);
  const pattern = query.q ? `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const where = pattern
    ? or(ilike(users.name, pattern), ilike(users.email, pattern), ilike(users.organisation, pattern))
    : undefined;
  const [counted] = await db.select({ total: count() }).from(users).where(where);
  const total = counted?.total ?? 0;
  // A page past the end (people were removed meanwhile, or a typed URL) shows the last page instead of nothing.
  const page = Math.min(query.page, Math.max(1, Math.ceil(total / query.pageSize)));
  const rows = await db
    .select(personView)
    .from(users)
    .where(where)
    .orderBy(asc(users.organisation), asc(users.name), asc(users.id))
    .limit(query.pageSize)
    .offset((page - 1) * query.pageSize);
  return { people: rows.map(toView), total, page, pageSize: query.pageSize };
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
  const [person] = await db.select(personView).from(users).where(eq(users.id, userId));
  if (!person) throw personNotFound();
  return toView(person);
}

/** Administration of one server: `createAdmin({ db }).people(actorId)`, … (every call checks the actor). */
export const createAdmin = ({ db }: { db: Database }) =>
  bindDeps(db, {
    people: listPeople,
    peoplePage,
    organisations: listOrganisations,
    add: addPerson,
    update: updatePerson,
    isAdmin: isAdministrator,
  });
