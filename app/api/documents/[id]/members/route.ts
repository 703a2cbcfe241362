import { addMemberSchema } from '@/server/documents/schemas';
import { route } from '@/server/http/route';

export const GET = route<{ id: string }>({}, async ({ user, params, s }) =>
  Response.json({ members: (await s.documents.get(user.id, params.id)).members }),
);

export const POST = route<{ id: string }, typeof addMemberSchema>(
  { body: addMemberSchema },
  async ({ user, params, body, s }) => {
    s.rateLimit.take(user.id, 'invitation');
    return Response.json(await s.members.add(user.id, params.id, body), { status: 201 });
  },
);
