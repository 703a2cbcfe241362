import { createGroupSchema } from '@/server/admin/schemas';
import { route } from '@/server/http/route';

/** GET: groups with their members; POST {name, memberIds}: a new group. Administrators only. */
export const GET = route({}, async ({ user, s }) => Response.json({ groups: await s.groups.list(user.id) }));

export const POST = route<Record<string, string>, typeof createGroupSchema>(
  { body: createGroupSchema },
  async ({ user, body, s }) => Response.json({ group: await s.groups.create(user.id, body) }, { status: 201 }),
);
