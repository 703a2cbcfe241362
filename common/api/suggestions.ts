import type { SuggestionKind } from '../suggestions';

/** One open suggestion as `GET /api/documents/:id/suggestions` lists it (in document order). */
export interface SuggestionView {
  id: string;
  kind: SuggestionKind;
  /** The text it adds (insert) or would remove (delete, replace). */
  text: string;
  /** With a replacement: the text that would take its place. */
  replacement?: string;
  /** `name` is null for someone who is no longer known (a removed account). */
  author: { id: string; name: string | null; organisation: string | null };
  createdAt: string;
  /** The comment thread that discusses it, if one was started (the newest, when there are several). */
  threadId?: string;
}

/** The answer of accept, reject and withdraw. */
export interface SuggestionDecisionView {
  id: string;
  outcome: 'accepted' | 'rejected' | 'withdrawn';
}
