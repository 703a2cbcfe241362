import { commentPageQuerySchema } from '@/server/comments/schemas';
import { readQuery, route } from '@/server/http/route';

/** `?limit=1–100&cursor=…`: one page of a thread's comments, oldest first; `nextCursor` leads to the next one. */
export const GET = route<{ id: string; threadId: string }>({}, async ({ user, params, s, req }) => {
  const page = await s.comments.comments(user.id, params.id, params.threadId, readQuery(req, commentPageQuerySchema));
  return Response.json({ comments: page.items, nextCursor: page.nextCursor });
});
