import { Mark, mergeAttributes } from '@tiptap/core';

/**
 * Suggestions ("voorstellen tot wijziging") live in the shared Yjs document as two marks on text, so they sync,
 * persist and survive offline editing exactly like the text itself (y-prosemirror stores a mark as a format
 * attribute on the Y.XmlText: key = mark name, value = these attributes):
 * - `suggestionInsert`: text a person proposes to add; it is not part of the accepted text until accepted;
 * - `suggestionDelete`: accepted text a person proposes to remove; it stays visible, struck through.
 * A replacement is a `suggestionDelete` and a `suggestionInsert` that share one `id`.
 * The accepted view of a document is the document with every open suggestion rejected: `suggestionInsert` text
 * left out and `suggestionDelete` text kept as plain text. The collaboration server guarantees that a commenter's
 * or chair's update never changes that view and only touches suggestions carrying their own `authorId`.
 * Suggestions are text-level: a paragraph break cannot be suggested (block structure changes only by editing).
 */
export const suggestionMarkNames = { insert: 'suggestionInsert', delete: 'suggestionDelete' } as const;

export interface SuggestionAttributes {
  /** One id per suggestion (shared by the two halves of a replacement). */
  id: string;
  /** The user id of the person who suggested it; the server checks it against the connection's user. */
  authorId: string;
  /** ISO 8601 time of the first keystroke. */
  createdAt: string;
}

const suggestionAttributes = {
  id: { default: null, parseHTML: (el: HTMLElement) => el.getAttribute('data-suggestion-id') },
  authorId: { default: null, parseHTML: (el: HTMLElement) => el.getAttribute('data-author-id') },
  createdAt: { default: null, parseHTML: (el: HTMLElement) => el.getAttribute('data-created-at') },
};

function renderAttributes(attrs: Record<string, unknown>) {
  return {
    'data-suggestion-id': attrs.id,
    'data-author-id': attrs.authorId,
    'data-created-at': attrs.createdAt,
  };
}

export const SuggestionInsert = Mark.create({
  name: suggestionMarkNames.insert,
  // Typing at the end of a suggestion continues it (one suggestion per run of keystrokes).
  inclusive: true,
  excludes: `${suggestionMarkNames.insert} ${suggestionMarkNames.delete}`,
  addAttributes: () => suggestionAttributes,
  parseHTML: () => [{ tag: 'ins[data-suggestion-id]' }],
  renderHTML: ({ mark, HTMLAttributes }) => [
    'ins',
    mergeAttributes(HTMLAttributes, renderAttributes(mark.attrs), { class: 'suggestion suggestion-insert' }),
    0,
  ],
});

export const SuggestionDelete = Mark.create({
  name: suggestionMarkNames.delete,
  // Text typed next to a suggested deletion is not itself deleted.
  inclusive: false,
  excludes: `${suggestionMarkNames.insert} ${suggestionMarkNames.delete}`,
  addAttributes: () => suggestionAttributes,
  parseHTML: () => [{ tag: 'del[data-suggestion-id]' }],
  renderHTML: ({ mark, HTMLAttributes }) => [
    'del',
    mergeAttributes(HTMLAttributes, renderAttributes(mark.attrs), { class: 'suggestion suggestion-delete' }),
    0,
  ],
});
