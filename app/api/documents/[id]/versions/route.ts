import { route } from '@/server/http/route';
import { nameVersionSchema } from '@/server/workflow/schemas';

export const GET = route<{ id: string }>({}, async ({ user, params, s }) =>
  Response.json({ versions: await s.versions.list(user.id, params.id) }),
);

export const POST = route<{ id: string }, typeof nameVersionSchema>(
  { body: nameVersionSchema },
  async ({ user, params, body, s }) =>
    Response.json(await s.versions.name(user.id, params.id, body.name), { status: 201 }),
);
