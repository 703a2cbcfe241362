'use client';
import { useCallback, useEffect, useState } from 'react';

/** Where an editor's choice between Bewerken and Voorstellen is kept, per document (this browser only). */
export const modeStorageKey = (documentId: string) => `stukwerk:suggesting:${documentId}`;

/**
 * An editor's own choice to suggest instead of edit in this document, remembered in localStorage. Commenters and the
 * chair have no choice (they always suggest); the caller decides that from the policy flags.
 */
export function useSuggestingPreference(documentId: string): [boolean, (suggesting: boolean) => void] {
  const [suggesting, setState] = useState(false);
  useEffect(() => {
    try {
      setState(window.localStorage.getItem(modeStorageKey(documentId)) === '1');
    } catch {
      // storage unavailable (private mode, blocked): the choice lasts for this page only
    }
  }, [documentId]);
  const set = useCallback(
    (value: boolean) => {
      setState(value);
      try {
        if (value) window.localStorage.setItem(modeStorageKey(documentId), '1');
        else window.localStorage.removeItem(modeStorageKey(documentId));
      } catch {
        // as above
      }
    },
    [documentId],
  );
  return [suggesting, set];
}
