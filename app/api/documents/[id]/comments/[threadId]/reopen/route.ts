import { route } from '@/server/http/route';

export const POST = route<{ id: string; threadId: string }>({}, async ({ user, params, s }) =>
  Response.json({ thread: await s.comments.reopen(user.id, params.id, params.threadId) }),
);
