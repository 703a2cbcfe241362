import { apiError } from '../labels';
import type { CommentItem, Page, Thread } from './types';

/** The comments API from the browser (same origin: the session cookie and Origin header ride along). */
async function call(url: string, method: string, body?: unknown): Promise<Thread> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(await apiError(res));
  return ((await res.json()) as { thread: Thread }).thread;
}

/** Every page of a paged list (largest pages the server allows), in order. */
async function allPages<T>(url: string, pick: (body: unknown) => T[]): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const res = await fetch(`${url}?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (!res.ok) throw new Error(await apiError(res));
    const body = (await res.json()) as Page;
    items.push(...pick(body));
    cursor = body.nextCursor;
  } while (cursor);
  return items;
}

export function commentsApi(documentId: string) {
  const base = `/api/documents/${documentId}/comments`;
  const get = (threadId: string) => call(`${base}/${threadId}`, 'GET');
  return {
    /** Every thread of the document (the sidebar filters them itself). */
    list: () => allPages(base, (body) => (body as { threads: Thread[] }).threads),
    get,
    /** A thread with every comment, for threads longer than their view shows. */
    async full(threadId: string): Promise<Thread> {
      const thread = await get(threadId);
      if (thread.commentCount <= thread.comments.length) return thread;
      const comments = await allPages(
        `${base}/${threadId}/comments`,
        (body) => (body as { comments: CommentItem[] }).comments,
      );
      return { ...thread, comments, commentCount: Math.max(thread.commentCount, comments.length) };
    },
    /** A thread on a passage; with `suggestionId`, the thread discusses that suggestion (shown on its card). */
    create: (anchor: { start: string; end: string }, body: string, mentions: string[], suggestionId?: string) =>
      call(base, 'POST', { anchor, body, mentions, ...(suggestionId ? { suggestionId } : {}) }),
    reply: (threadId: string, body: string, mentions: string[]) =>
      call(`${base}/${threadId}/replies`, 'POST', { body, mentions }),
    edit: (threadId: string, commentId: string, body: string, mentions: string[]) =>
      call(`${base}/${threadId}/comments/${commentId}`, 'PATCH', { body, mentions }),
    remove: (threadId: string, commentId: string) => call(`${base}/${threadId}/comments/${commentId}`, 'DELETE'),
    resolve: (threadId: string) => call(`${base}/${threadId}/resolve`, 'POST'),
    reopen: (threadId: string) => call(`${base}/${threadId}/reopen`, 'POST'),
  };
}

export type CommentsApi = ReturnType<typeof commentsApi>;
