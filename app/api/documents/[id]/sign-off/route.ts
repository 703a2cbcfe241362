import { route } from '@/server/http/route';

export const POST = route<{ id: string }>({}, async ({ user, params, s }) =>
  Response.json(await s.workflow.signOff(user.id, params.id)),
);
