import { apiError } from '../labels';
import type { Thread } from './types';

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

export function commentsApi(documentId: string) {
  const base = `/api/documents/${documentId}/comments`;
  return {
    async list(): Promise<Thread[]> {
      const res = await fetch(base);
      if (!res.ok) throw new Error(await apiError(res));
      return ((await res.json()) as { threads: Thread[] }).threads;
    },
    create: (anchor: { start: string; end: string }, body: string, mentions: string[]) => call(base, 'POST', { anchor, body, mentions }),
    reply: (threadId: string, body: string, mentions: string[]) => call(`${base}/${threadId}/replies`, 'POST', { body, mentions }),
    edit: (threadId: string, commentId: string, body: string, mentions: string[]) =>
      call(`${base}/${threadId}/comments/${commentId}`, 'PATCH', { body, mentions }),
    remove: (threadId: string, commentId: string) => call(`${base}/${threadId}/comments/${commentId}`, 'DELETE'),
    resolve: (threadId: string) => call(`${base}/${threadId}/resolve`, 'POST'),
    reopen: (threadId: string) => call(`${base}/${threadId}/reopen`, 'POST'),
  };
}

export type CommentsApi = ReturnType<typeof commentsApi>;
