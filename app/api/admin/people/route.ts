import { addPersonSchema } from '@/server/admin/schemas';
import { route } from '@/server/http/route';

/** GET: everyone with organisation, status and administrator flag; POST: add a person. Administrators only. */
export const GET = route({}, async ({ user, s }) => Response.json({ people: await s.admin.people(user.id) }));

export const POST = route<Record<string, string>, typeof addPersonSchema>(
  { body: addPersonSchema },
  async ({ user, body, s }) => Response.json({ person: await s.admin.add(user.id, body) }, { status: 201 }),
);
