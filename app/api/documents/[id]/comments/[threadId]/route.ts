import { route } from '@/server/http/route';

export const GET = route<{ id: string; threadId: string }>({}, async ({ user, params, s }) =>
  Response.json({ thread: await s.comments.get(user.id, params.id, params.threadId) }),
);
