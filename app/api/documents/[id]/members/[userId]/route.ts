import { changeRoleSchema } from '@/server/documents/schemas';
import { route } from '@/server/http/route';

type Params = { id: string; userId: string };

export const PATCH = route<Params, typeof changeRoleSchema>(
  { body: changeRoleSchema },
  async ({ user, params, body, s }) =>
    Response.json(await s.members.changeRole(user.id, params.id, params.userId, body.role)),
);

export const DELETE = route<Params>({}, async ({ user, params, s }) =>
  Response.json(await s.members.remove(user.id, params.id, params.userId)),
);
