'use client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { commentsApi } from './api';
import { applyEvent, mergeThread, missingThread, upsertThread, type Threads } from './thread-state';
import type { CommentEvent, Thread } from './types';

/** Tells the header's notification list that something arrived for this person (no polling anywhere). */
export const notificationsChangedEvent = 'stukwerk:notifications-changed';

/**
 * The threads of the open document: loaded over HTTP (every page) whenever the collaboration connection
 * (re)synchronises, and kept current by the comment events (message type 101) on that same connection, which carry
 * only the change (thread-state.ts applies them).
 */
export function useThreads(documentId: string, meId: string) {
  const [threads, setThreads] = useState<Threads>(new Map());
  const [error, setError] = useState('');
  const api = useMemo(() => commentsApi(documentId), [documentId]);
  // The latest threads for event handlers, which must not run side effects inside a state update.
  const current = useRef(threads);
  useEffect(() => {
    current.current = threads;
  }, [threads]);

  const upsert = useCallback((thread: Thread) => setThreads((prev) => upsertThread(prev, thread)), []);

  const load = useCallback(async () => {
    try {
      const list = await api.list();
      setThreads((prev) => new Map(list.map((t) => [t.id, mergeThread(prev.get(t.id), t)])));
    } catch (err) {
      setError((err as Error).message);
    }
  }, [api]);

  /** A thread an event is about but that is not here yet (created while the list was loading): fetched whole. */
  const fetchThread = useCallback(
    (threadId: string) =>
      api.get(threadId).then(upsert, (err: unknown) => {
        setError((err as Error).message);
      }),
    [api, upsert],
  );

  const onEvent = useCallback(
    (raw: unknown) => {
      const event = raw as CommentEvent;
      if (typeof event?.type !== 'string') return;
      const missing = missingThread(current.current, event);
      if (missing)
        void fetchThread(missing); // handles its own failure
      else setThreads((prev) => applyEvent(prev, event));
      if (event.mentioned?.includes(meId)) window.dispatchEvent(new Event(notificationsChangedEvent));
    },
    [meId, fetchThread],
  );

  /** Runs an API call; its answer (the changed thread) is merged at once, the event that follows is idempotent. */
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
