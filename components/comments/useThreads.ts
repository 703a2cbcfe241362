'use client';
import { useCallback, useMemo, useState } from 'react';
import { commentsApi } from './api';
import type { CommentEvent, Thread } from './types';

/** Tells the header's notification list that something arrived for this person (no polling anywhere). */
export const notificationsChangedEvent = 'stukwerk:notifications-changed';

/**
 * The threads of the open document: loaded over HTTP whenever the collaboration connection (re)synchronises, and
 * kept current by the comment events (message type 101) that arrive on that same connection.
 */
export function useThreads(documentId: string, meId: string) {
  const [threads, setThreads] = useState<Map<string, Thread>>(new Map());
  const [error, setError] = useState('');
  const api = useMemo(() => commentsApi(documentId), [documentId]);

  const upsert = useCallback((thread: Thread) => setThreads((prev) => new Map(prev).set(thread.id, thread)), []);

  const load = useCallback(async () => {
    try {
      const list = await api.list();
      setThreads(new Map(list.map((t) => [t.id, t])));
    } catch (err) {
      setError((err as Error).message);
    }
  }, [api]);

  const onEvent = useCallback(
    (raw: unknown) => {
      const event = raw as CommentEvent;
      if (!event?.thread?.id) return;
      upsert(event.thread);
      if (event.mentioned?.includes(meId)) window.dispatchEvent(new Event(notificationsChangedEvent));
    },
    [meId, upsert],
  );

  /** Runs an API call; its answer (the changed thread) is applied at once, the event that follows is idempotent. */
  const run = useCallback(
    async (action: () => Promise<Thread>) => {
      setError('');
      try {
        const thread = await action();
        upsert(thread);
        return thread;
      } catch (err) {
        setError((err as Error).message);
        return undefined;
      }
    },
    [upsert],
  );

  return { threads, load, onEvent, run, api, error, setError };
}
