'use client';
import type { Editor } from '@tiptap/core';
import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import type { useThreads } from '../comments/useThreads';
import { selectionAnchor, setHighlightThreads, type ThreadRanges } from './comment-highlights';

/**
 * Comments as the page wires them to the editor: which thread is open, the passage selected for a new comment,
 * the highlights of every thread's passage (comment-highlights.ts), Ctrl+Alt+M, and reloading the threads on every
 * (re)connection. The sidebars and the comment buttons only read and call what this returns.
 */
export function useCommentWiring({
  editor,
  comments,
  synced,
  canWrite,
  initialThreadId,
  say,
}: {
  editor: Editor | null;
  comments: ReturnType<typeof useThreads>;
  synced: boolean;
  canWrite: boolean;
  initialThreadId?: string | null;
  say: (text: string) => void;
}) {
  const ta = useTranslations('a11y');
  const [ranges, setRanges] = useState<ThreadRanges>(new Map());
  const [activeId, setActiveId] = useState<string | null>(initialThreadId ?? null);
  const [pending, setPending] = useState<{ start: string; end: string; quote: string } | null>(null);

  // Every (re)connection reloads the threads: events missed while offline are caught up, nothing polls.
  const { load } = comments;
  useEffect(() => {
    if (synced) void load();
  }, [synced, load]);

  useEffect(() => {
    if (editor && !editor.isDestroyed) setHighlightThreads(editor.view, [...comments.threads.values()], activeId);
  }, [editor, comments.threads, activeId]);

  function startComment() {
    const anchor = editor && selectionAnchor(editor.state);
    if (anchor) {
      setPending(anchor);
      setActiveId(null);
    } else say(ta('selectFirst'));
  }
  const startCommentRef = useRef(startComment);
  startCommentRef.current = startComment;

  // Ctrl+Alt+M comments on the selection, as in the word processors people know.
  useEffect(() => {
    if (!canWrite) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey && e.altKey && !e.metaKey && e.code === 'KeyM') {
        e.preventDefault();
        startCommentRef.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canWrite]);

  function cancelComment() {
    setPending(null);
    editor?.commands.focus();
  }

  function closeThread() {
    setActiveId(null);
    editor?.commands.focus();
  }

  return {
    ranges,
    setRanges,
    activeId,
    setActiveId,
    pending,
    setPending,
    startComment,
    cancelComment,
    closeThread,
  };
}
