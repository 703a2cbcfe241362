import { addPersonSchema, peopleQuerySchema } from '@/server/admin/schemas';
import { readQuery, route } from '@/server/http/route';

/**
 * GET: a page of people with organisation, status and administrator flag (`?q=` filters, `?page=`, `?pageSize=`);
 * POST: add a person. Administrators only.
 */
export const GET = route({}, async ({ user, s, req }) =>
  Response.json(await s.admin.peoplePage(user.id, readQuery(req, peopleQuerySchema))),
);

export const POST = route<Record<string, string>, typeof addPersonSchema>(
  { body: addPersonSchema },
  async ({ user, body, s }) => Response.json({ person: await s.admin.add(user.id, body) }, { status: 201 }),
);
