import { suggestionMarkNames, type SuggestionAttributes } from './schema/suggestions';

/**
 * Reading and writing the suggestion marks of common/schema/suggestions.ts in ProseMirror JSON, for the Word round
 * trip (server/export, server/import). Local to that work until common/suggestions.ts (the suggestion API) lands;
 * then the two should become one module.
 */
export type SuggestionKind = 'insert' | 'delete';

export interface SuggestionMark extends SuggestionAttributes {
  kind: SuggestionKind;
}

interface MarkJSON {
  type: string;
  attrs?: Record<string, unknown>;
}

/** The suggestion a text node's marks carry, if any (a text node carries at most one: the marks exclude each other). */
export function suggestionOfMarks(marks: readonly MarkJSON[] | undefined): SuggestionMark | undefined {
  for (const mark of marks ?? []) {
    const kind =
      mark.type === suggestionMarkNames.insert ? 'insert' : mark.type === suggestionMarkNames.delete ? 'delete' : null;
    if (!kind) continue;
    const a = mark.attrs ?? {};
    return {
      kind,
      id: typeof a.id === 'string' ? a.id : '',
      authorId: typeof a.authorId === 'string' ? a.authorId : '',
      createdAt: typeof a.createdAt === 'string' ? a.createdAt : '',
    };
  }
  return undefined;
}

/**
 * Whether text with these marks belongs to the accepted view of the document (every open suggestion rejected):
 * suggested insertions do not, suggested deletions still do (as plain text).
 */
export const inAcceptedView = (marks: readonly MarkJSON[] | undefined) =>
  !(marks ?? []).some((m) => m.type === suggestionMarkNames.insert);

/** The mark JSON of a suggestion. */
export const suggestionMark = (
  s: SuggestionMark,
): { type: string; attrs: SuggestionAttributes & Record<string, unknown> } => ({
  type: suggestionMarkNames[s.kind],
  attrs: { id: s.id, authorId: s.authorId, createdAt: s.createdAt },
});
