'use client';
import type { Editor } from '@tiptap/core';
import { useTranslations } from 'next-intl';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Thread } from '../comments/types';
import { suggestionsApi } from '../suggestions/api';
import { useSuggestingPreference } from '../suggestions/mode';
import { useOpenSuggestions } from '../suggestions/open-suggestions';
import type { DocumentPolicy } from '@/common/policy';
import type { EndReason } from './connection';
import type { BlockedReason } from './suggestion-mode';

/**
 * Suggestion mode as the page sees it: whether typing becomes suggestions, the open suggestions of the live
 * document, which comment threads belong to one of them, and the short note when a change could not be suggested.
 * Kept apart from the editor so the page only passes its flags on (suggestion-mode.ts does the work).
 */
export function useSuggestionWiring(
  documentId: string,
  editor: Editor | null,
  can: DocumentPolicy,
  ended: EndReason | undefined,
  threads: Map<string, Thread>,
) {
  // Editors choose between editing and suggesting; whoever may suggest but not edit (commenters, the chair, while
  // the text is not locked) always suggests. The server computes both flags and checks every update.
  const [preferSuggesting, setPreferSuggesting] = useSuggestingPreference(documentId);
  const writable = !ended && (can.edit || can.suggest);
  const suggesting = !can.edit || preferSuggesting;
  const items = useOpenSuggestions(editor);
  const api = useMemo(() => suggestionsApi(documentId), [documentId]);
  // A thread that discusses an open suggestion is shown on the suggestion's card, not among the comments.
  const { suggestionThreads, commentThreads } = useMemo(() => {
    const open = new Set(items.map((s) => s.id));
    const bySuggestion = new Map<string, Thread>();
    const rest = new Map(threads);
    for (const [id, thread] of threads)
      if (thread.suggestionId && open.has(thread.suggestionId)) {
        bySuggestion.set(thread.suggestionId, thread);
        rest.delete(id);
      }
    return { suggestionThreads: bySuggestion, commentThreads: rest };
  }, [threads, items]);
  const [blocked, setBlocked] = useState<BlockedReason | null>(null);
  const onBlocked = useCallback((reason: BlockedReason) => setBlocked(reason), []);
  useEffect(() => {
    if (!blocked) return;
    const timer = setTimeout(() => setBlocked(null), 5000);
    return () => clearTimeout(timer);
  }, [blocked]);
  return {
    preferSuggesting,
    setPreferSuggesting,
    writable,
    suggesting,
    items,
    api,
    suggestionThreads,
    commentThreads,
    blocked,
    onBlocked,
  };
}

export function SuggestingNote() {
  const t = useTranslations('suggestions');
  return (
    <div className="banner suggestion-note" role="note" data-testid="suggesting-note">
      {t('note')}
    </div>
  );
}

export function BlockedNote({ reason }: { reason: BlockedReason }) {
  const t = useTranslations('suggestions');
  return (
    <p className="suggestion-blocked" role="status" data-testid="suggestion-blocked">
      {t(`blocked.${reason}`)}
    </p>
  );
}
