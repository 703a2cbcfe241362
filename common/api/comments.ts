/**
 * The comments API's shapes, one definition for the server (which builds them with `Date`s) and the browser (which
 * receives them as JSON, dates as ISO strings): the date type is the parameter `D`. See docs/api.md.
 */

/** A person as a thread shows them: name and municipality (the user's organisation). */
export interface PersonView {
  id: string;
  name: string;
  organisation: string | null;
}

export interface CommentView<D = string> {
  id: string;
  threadId: string;
  author: PersonView | null;
  /** `null` once deleted: the thread shows "verwijderd" in its place. */
  body: string | null;
  mentions: string[];
  createdAt: D;
  editedAt: D | null;
  deletedAt: D | null;
}

export type ThreadStatus = 'open' | 'resolved';

export interface ThreadView<D = string> {
  id: string;
  documentId: string;
  /** Base64 `Y.encodeRelativePosition` of the passage's first and last character. */
  anchor: { start: string; end: string };
  quote: string;
  /** The suggestion this thread discusses, if any (GET /api/documents/:id/suggestions gives its `threadId`). */
  suggestionId: string | null;
  status: ThreadStatus;
  /** The passage was deleted; the thread keeps its quote. */
  detached: boolean;
  /** Offset in document order, for sorting; equal for threads on the same spot. */
  position: number;
  createdBy: PersonView | null;
  createdAt: D;
  updatedAt: D;
  resolvedBy: PersonView | null;
  resolvedAt: D | null;
  /** Every comment of the thread, deleted ones included. */
  commentCount: number;
  /**
   * The first comment and the latest ones, in creation order; when `commentCount` is larger, the ones between are
   * read with `GET …/comments/:threadId/comments`.
   */
  comments: CommentView<D>[];
}

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
 */
export type CommentEvent<D = string> = { actorId: string; mentioned: string[] } & (
  | { type: 'thread.created'; thread: ThreadView<D> }
  | { type: 'comment.added'; threadId: string; comment: CommentView<D>; commentCount: number; updatedAt: D }
  | { type: 'comment.edited' | 'comment.deleted'; threadId: string; comment: CommentView<D> }
  | {
      type: 'thread.resolved' | 'thread.reopened';
      threadId: string;
      status: ThreadStatus;
      resolvedBy: PersonView | null;
      resolvedAt: D | null;
      updatedAt: D;
    }
);

/** A page of a list: `nextCursor` fetches the next one, `null` on the last. */
export interface Page {
  nextCursor: string | null;
}

export type ThreadFilter = 'open' | 'resolved' | 'all';
