import { route } from '@/server/http/route';
import { statusChangeSchema } from '@/server/workflow/schemas';

export const POST = route<{ id: string }, typeof statusChangeSchema>(
  { body: statusChangeSchema },
  async ({ user, params, body, s }) => Response.json(await s.workflow.changeStatus(user.id, params.id, body.status)),
);
