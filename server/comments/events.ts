import type { CommentView, PersonView, ThreadView } from './views';

/**
 * Comment events: message type 101 on the collaboration connection, `varString(JSON event)`, sent to every open
 * connection of the document right after a change is committed. Each event carries the change only, so its size
 * does not depend on how long the thread is:
 *
 *   thread.created                      {thread}   the new thread with its first (only) comment
 *   comment.added                       {threadId, comment, commentCount, updatedAt}
 *   comment.edited, comment.deleted     {threadId, comment}   the comment as it is now (deleted: body null)
 *   thread.resolved, thread.reopened    {threadId, status, resolvedBy, resolvedAt, updatedAt}
 *
 * and on every event `actorId` (who did it) and `mentioned` (who was newly mentioned, so their notification count
 * can refresh). A client applies them to the threads it loaded over HTTP; an event about a thread it does not hold
 * (one created while it was loading) makes it fetch that thread.
 *
 * Who receives them: every connection of the document belongs to a member (the server closes the others), and
 * every member may read every thread (server/comments/access.ts), so all connections get the same frame.
 */
interface EventBase {
  actorId: string;
  mentioned: string[];
}

export type CommentEvent = EventBase &
  (
    | { type: 'thread.created'; thread: ThreadView }
    | { type: 'comment.added'; threadId: string; comment: CommentView; commentCount: number; updatedAt: Date }
    | { type: 'comment.edited' | 'comment.deleted'; threadId: string; comment: CommentView }
    | {
        type: 'thread.resolved' | 'thread.reopened';
        threadId: string;
        status: ThreadView['status'];
        resolvedBy: PersonView | null;
        resolvedAt: Date | null;
        updatedAt: Date;
      }
  );

/** The status part of a thread, as `thread.resolved` / `thread.reopened` carry it. */
export const statusChange = (thread: ThreadView) => ({
  threadId: thread.id,
  status: thread.status,
  resolvedBy: thread.resolvedBy,
  resolvedAt: thread.resolvedAt,
  updatedAt: thread.updatedAt,
});
