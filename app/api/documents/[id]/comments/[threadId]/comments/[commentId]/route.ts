import { editCommentSchema } from '@/server/comments/schemas';
import { route } from '@/server/http/route';

type Params = { id: string; threadId: string; commentId: string };

export const PATCH = route<Params, typeof editCommentSchema>(
  { body: editCommentSchema },
  async ({ user, params, body, s }) =>
    Response.json({ thread: await s.comments.edit(user.id, params.id, params.threadId, params.commentId, body) }),
);

export const DELETE = route<Params>({}, async ({ user, params, s }) =>
  Response.json({ thread: await s.comments.remove(user.id, params.id, params.threadId, params.commentId) }),
);
