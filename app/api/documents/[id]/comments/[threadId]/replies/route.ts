import { replySchema } from '@/server/comments/schemas';
import { route } from '@/server/http/route';

export const POST = route<{ id: string; threadId: string }, typeof replySchema>(
  { body: replySchema },
  async ({ user, params, body, s }) => {
    s.rateLimit.take(user.id, 'comment');
    return Response.json(
      { thread: await s.comments.reply(user.id, params.id, params.threadId, body) },
      { status: 201 },
    );
  },
);
