import { route } from '@/server/http/route';

export const POST = route<{ id: string }>({}, async ({ user, params, s }) =>
  Response.json(await s.workflow.reopen(user.id, params.id)),
);
