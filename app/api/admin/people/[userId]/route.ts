import { updatePersonSchema } from '@/server/admin/schemas';
import { route } from '@/server/http/route';

/** PATCH {active} | {organisation} | {isAdmin}: one change to a person (administrators; never to oneself's flag). */
export const PATCH = route<{ userId: string }, typeof updatePersonSchema>(
  { body: updatePersonSchema },
  async ({ user, params, body, s }) => Response.json({ person: await s.admin.update(user.id, params.userId, body) }),
);
