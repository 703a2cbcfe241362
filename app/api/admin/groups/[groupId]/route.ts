import { updateGroupSchema } from '@/server/admin/schemas';
import { route } from '@/server/http/route';

/** PATCH {name?, memberIds?}: rename or replace the members; DELETE: remove the group. Administrators only. */
export const PATCH = route<{ groupId: string }, typeof updateGroupSchema>(
  { body: updateGroupSchema },
  async ({ user, params, body, s }) => {
    await s.groups.update(user.id, params.groupId, body);
    return new Response(null, { status: 204 });
  },
);

export const DELETE = route<{ groupId: string }>({}, async ({ user, params, s }) => {
  await s.groups.remove(user.id, params.groupId);
  return new Response(null, { status: 204 });
});
