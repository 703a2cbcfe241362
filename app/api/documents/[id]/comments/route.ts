import { createThreadSchema, threadPageQuerySchema } from '@/server/comments/schemas';
import { readQuery, route } from '@/server/http/route';

/** `?status=open|resolved|all&limit=1–100&cursor=…`: one page of threads; `nextCursor` leads to the next one. */
export const GET = route<{ id: string }>({}, async ({ user, params, s, req }) => {
  const page = await s.comments.list(user.id, params.id, readQuery(req, threadPageQuerySchema));
  return Response.json({ threads: page.items, nextCursor: page.nextCursor });
});

export const POST = route<{ id: string }, typeof createThreadSchema>(
  { body: createThreadSchema },
  async ({ user, params, body, s }) => {
    s.rateLimit.take(user.id, 'comment');
    return Response.json({ thread: await s.comments.create(user.id, params.id, body) }, { status: 201 });
  },
);
