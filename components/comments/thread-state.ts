import type { CommentEvent, CommentItem, Thread } from './types';

/**
 * The browser's copy of a document's threads, kept current from three sources that may arrive in any order: the
 * HTTP list (loaded on every (re)sync), the answer to this person's own request, and comment events (which carry
 * only the change). Pure functions, so the test helpers apply events exactly as the sidebar does.
 */
export type Threads = Map<string, Thread>;

/** Comments of two copies of a thread, one per id (the newer copy's wins), in creation order. */
export function mergeComments(known: CommentItem[], incoming: CommentItem[]): CommentItem[] {
  const byId = new Map(known.map((c) => [c.id, c]));
  for (const c of incoming) byId.set(c.id, c);
  // ISO strings sort as times; the sort is stable, so comments of the same millisecond keep the server's order.
  return [...byId.values()].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

/**
 * Two copies of one thread: the thread's own fields from the copy changed last (`updatedAt` moves with every
 * change of status and every reply), the comments of both (a view holds only the first and the latest ones, and
 * earlier ones loaded on request must stay).
 */
export function mergeThread(known: Thread | undefined, incoming: Thread): Thread {
  if (!known) return incoming;
  const newer = incoming.updatedAt >= known.updatedAt ? incoming : known;
  return {
    ...newer,
    commentCount: Math.max(known.commentCount, incoming.commentCount),
    comments: mergeComments(known.comments, incoming.comments),
  };
}

export const upsertThread = (threads: Threads, thread: Thread): Threads =>
  new Map(threads).set(thread.id, mergeThread(threads.get(thread.id), thread));

/** The thread an event is about when it is not in `threads` (the caller fetches it), else undefined. */
export const missingThread = (threads: Threads, event: CommentEvent): string | undefined =>
  event.type !== 'thread.created' && !threads.has(event.threadId) ? event.threadId : undefined;

/** Applies one event; events about threads not held here change nothing (see `missingThread`). */
export function applyEvent(threads: Threads, event: CommentEvent): Threads {
  if (event.type === 'thread.created') return upsertThread(threads, event.thread);
  const thread = threads.get(event.threadId);
  if (!thread) return threads;
  const next = (changed: Thread) => new Map(threads).set(changed.id, changed);
  switch (event.type) {
    case 'comment.added':
      return next({
        ...thread,
        comments: mergeComments(thread.comments, [event.comment]),
        commentCount: Math.max(thread.commentCount, event.commentCount),
        updatedAt: event.updatedAt > thread.updatedAt ? event.updatedAt : thread.updatedAt,
      });
    case 'comment.edited':
    case 'comment.deleted':
      // A comment the view does not show (between the first and the latest) stays out of it.
      if (!thread.comments.some((c) => c.id === event.comment.id)) return threads;
      return next({ ...thread, comments: thread.comments.map((c) => (c.id === event.comment.id ? event.comment : c)) });
    case 'thread.resolved':
    case 'thread.reopened':
      if (event.updatedAt < thread.updatedAt) return threads; // an older change than the copy held here
      return next({
        ...thread,
        status: event.status,
        resolvedBy: event.resolvedBy,
        resolvedAt: event.resolvedAt,
        updatedAt: event.updatedAt,
      });
  }
}
