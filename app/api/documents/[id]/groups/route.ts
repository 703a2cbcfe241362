import { addGroupSchema } from '@/server/documents/schemas';
import { route } from '@/server/http/route';

/** POST {groupId, role}: adds the group's people to the document one by one (editors; chair: administrators). */
export const POST = route<{ id: string }, typeof addGroupSchema>(
  { body: addGroupSchema },
  async ({ user, params, body, s }) => {
    s.rateLimit.take(user.id, 'invitation');
    return Response.json(await s.groups.addToDocument(user.id, params.id, body));
  },
);
