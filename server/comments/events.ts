import type { CommentEvent as CommentEventOf } from '../../common/api/comments';
import type { ThreadView } from './views';

/** Comment events (message type 101) as the server builds them; the format is described in common/api/comments.ts. */
export type CommentEvent = CommentEventOf<Date>;

/** The status part of a thread, as `thread.resolved` / `thread.reopened` carry it. */
export const statusChange = (thread: ThreadView) => ({
  threadId: thread.id,
  status: thread.status,
  resolvedBy: thread.resolvedBy,
  resolvedAt: thread.resolvedAt,
  updatedAt: thread.updatedAt,
});
