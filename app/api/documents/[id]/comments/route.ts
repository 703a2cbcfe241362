import { createThreadSchema, threadFilterSchema } from '../../../../../server/comments/schemas';
import { route } from '../../../../../server/http/route';

export const GET = route<{ id: string }>({}, async ({ user, params, s, req }) => {
  const filter = threadFilterSchema.parse(new URL(req.url).searchParams.get('status') ?? 'all');
  return Response.json({ threads: await s.comments.list(user.id, params.id, filter) });
});

export const POST = route<{ id: string }, typeof createThreadSchema>({ body: createThreadSchema }, async ({ user, params, body, s }) =>
  Response.json({ thread: await s.comments.create(user.id, params.id, body) }, { status: 201 }),
);
