import * as Y from 'yjs';
import { suggestionMarkNames, type SuggestionAttributes } from './schema/suggestions';

/**
 * Reading and resolving suggestions (see common/schema/suggestions.ts for the representation), shared by the server
 * (API, derived text, exports, the collaboration server's checks) and the browser. Two levels:
 * - ProseMirror JSON (what `yXmlFragmentToProsemirrorJSON` gives): the list of open suggestions and the accepted view;
 * - the Yjs fragment itself: accepting or rejecting one suggestion as a Yjs change, so it is live for everyone.
 */

export type SuggestionKind = 'insert' | 'delete' | 'replace';

export interface OpenSuggestion {
  id: string;
  kind: SuggestionKind;
  /** The text it adds (insert) or removes (delete, replace). */
  text: string;
  /** With a replacement: the text that takes the removed text's place. */
  replacement?: string;
  authorId: string;
  createdAt: string;
}

/** ProseMirror JSON as Tiptap writes it (the part this module reads). */
export interface SuggestionJSONNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: SuggestionJSONNode[];
  text?: string;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
}

const markNames: readonly string[] = [suggestionMarkNames.insert, suggestionMarkNames.delete];
export const isSuggestionMark = (name: string) => markNames.includes(name);

/**
 * The attributes of a suggestion mark, or undefined when they are not a well-formed suggestion (the server refuses
 * such marks from commenters; a malformed mark written by an editor is shown as plain text, never as a suggestion).
 */
export function suggestionAttributes(value: unknown): SuggestionAttributes | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, authorId, createdAt } = value as Record<string, unknown>;
  if (typeof id !== 'string' || id.length === 0 || id.length > 100) return undefined;
  if (typeof authorId !== 'string' || authorId.length === 0 || authorId.length > 100) return undefined;
  if (typeof createdAt !== 'string' || createdAt.length > 40) return undefined;
  return { id, authorId, createdAt };
}

interface Collected {
  id: string;
  authorId: string;
  createdAt: string;
  removed: string[];
  added: string[];
  /** The text block of the last part, so parts in different blocks are joined by a line break. */
  removedBlock: number;
  addedBlock: number;
}

/** One half of a suggestion as a mark on text: an insertion or a deletion (a replacement has one of each). */
export interface SuggestionMark extends SuggestionAttributes {
  kind: 'insert' | 'delete';
}

/**
 * The suggestion a text node's marks carry, if any (a text node carries at most one: the marks exclude each other);
 * a malformed one counts as none, as everywhere else.
 */
export function suggestionOfMarks(marks: SuggestionJSONNode['marks']): SuggestionMark | undefined {
  for (const mark of marks ?? []) {
    const kind =
      mark.type === suggestionMarkNames.insert ? 'insert' : mark.type === suggestionMarkNames.delete ? 'delete' : null;
    const attributes = kind && suggestionAttributes(mark.attrs);
    if (kind && attributes) return { kind, ...attributes };
  }
  return undefined;
}

/**
 * Whether text with these marks belongs to the accepted view (every open suggestion rejected): suggested insertions
 * do not, suggested deletions still do (as plain text).
 */
export const inAcceptedView = (marks: SuggestionJSONNode['marks']) =>
  !(marks ?? []).some((m) => m.type === suggestionMarkNames.insert);

/** The mark JSON of a suggestion (the Word import writes these). */
export const suggestionMark = (s: SuggestionMark) => ({
  type: suggestionMarkNames[s.kind],
  attrs: { id: s.id, authorId: s.authorId, createdAt: s.createdAt },
});

/** The open suggestions of a document, in document order (the position of each one's first character). */
export function suggestionsFromJSON(doc: SuggestionJSONNode): OpenSuggestion[] {
  const byId = new Map<string, Collected>();
  let block = 0;
  const walk = (node: SuggestionJSONNode) => {
    if (node.type === 'text') {
      for (const mark of node.marks ?? []) {
        if (!isSuggestionMark(mark.type)) continue;
        const attrs = suggestionAttributes(mark.attrs);
        if (!attrs) continue;
        let entry = byId.get(attrs.id);
        if (!entry) {
          entry = { ...attrs, removed: [], added: [], removedBlock: -1, addedBlock: -1 };
          byId.set(attrs.id, entry);
        }
        const removal = mark.type === suggestionMarkNames.delete;
        const parts = removal ? entry.removed : entry.added;
        const last = removal ? entry.removedBlock : entry.addedBlock;
        if (parts.length && last !== block) parts.push('\n');
        parts.push(node.text ?? '');
        if (removal) entry.removedBlock = block;
        else entry.addedBlock = block;
      }
      return;
    }
    node.content?.forEach(walk);
    if (node.content?.some((c) => c.type === 'text')) block++;
  };
  walk(doc);
  return [...byId.values()].map((s): OpenSuggestion => {
    const removed = s.removed.join('');
    const added = s.added.join('');
    const base = { id: s.id, authorId: s.authorId, createdAt: s.createdAt };
    if (s.removed.length && s.added.length) return { ...base, kind: 'replace', text: removed, replacement: added };
    if (s.removed.length) return { ...base, kind: 'delete', text: removed };
    return { ...base, kind: 'insert', text: added };
  });
}

const sameMarks = (a: SuggestionJSONNode['marks'], b: SuggestionJSONNode['marks']) =>
  JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

/**
 * The accepted view: the document with every open suggestion rejected (suggested insertions left out, suggested
 * deletions kept as plain text). Adjacent text nodes that end up with the same marks are merged, so the result is
 * the JSON the same document has after rejecting them one by one (the hash of a document does not depend on
 * whether suggestions are open).
 */
export function acceptedJSON<T extends SuggestionJSONNode>(doc: T): T {
  const strip = (node: SuggestionJSONNode): SuggestionJSONNode => {
    if (!node.content) return node;
    const content: SuggestionJSONNode[] = [];
    for (const child of node.content) {
      if (child.type === 'text') {
        const marks = child.marks ?? [];
        if (!inAcceptedView(marks)) continue;
        const kept = marks.filter((m) => !isSuggestionMark(m.type));
        const text: SuggestionJSONNode = { ...child };
        if (kept.length) text.marks = kept;
        else delete text.marks;
        const previous = content[content.length - 1];
        if (previous?.type === 'text' && sameMarks(previous.marks, text.marks))
          content[content.length - 1] = { ...previous, text: (previous.text ?? '') + (text.text ?? '') };
        else content.push(text);
      } else content.push(strip(child));
    }
    const copy: SuggestionJSONNode = { ...node, content };
    if (!content.length && node.content.every((c) => c.type === 'text')) delete copy.content;
    return copy;
  };
  return strip(doc) as T;
}

/** Whether a document holds any open suggestion (cheaper than listing them). */
export function hasOpenSuggestions(doc: SuggestionJSONNode): boolean {
  if (doc.type === 'text') return (doc.marks ?? []).some((m) => isSuggestionMark(m.type));
  return (doc.content ?? []).some(hasOpenSuggestions);
}

// ---- the Yjs level --------------------------------------------------------------------------------------------

/** Every Y.XmlText under a fragment, in document order (y-prosemirror keeps a text block's text runs in them). */
export function xmlTexts(node: Y.XmlFragment | Y.XmlElement): Y.XmlText[] {
  const out: Y.XmlText[] = [];
  const walk = (parent: Y.XmlFragment | Y.XmlElement) => {
    for (const child of parent.toArray()) {
      if (child instanceof Y.XmlText) out.push(child);
      else if (child instanceof Y.XmlElement) walk(child);
    }
  };
  walk(node);
  return out;
}

export interface SuggestionRange {
  text: Y.XmlText;
  index: number;
  length: number;
  kind: 'insert' | 'delete';
  attrs: SuggestionAttributes;
}

/** Where the parts of the suggestions matching `match` are (text and offsets), in document order. */
export function suggestionRanges(
  fragment: Y.XmlFragment,
  match: (attrs: SuggestionAttributes) => boolean,
): SuggestionRange[] {
  const out: SuggestionRange[] = [];
  for (const text of xmlTexts(fragment)) {
    let index = 0;
    for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
      const length = typeof op.insert === 'string' ? op.insert.length : 1;
      for (const [kind, name] of [
        ['insert', suggestionMarkNames.insert],
        ['delete', suggestionMarkNames.delete],
      ] as const) {
        const attrs = suggestionAttributes(op.attributes?.[name]);
        if (attrs && match(attrs)) out.push({ text, index, length, kind, attrs });
      }
      index += length;
    }
  }
  return out;
}

export type SuggestionDecision = 'accept' | 'reject';

/**
 * Accepts or rejects the suggestions in `ranges` on the Yjs document (call inside one transaction): accepting an
 * insertion makes it plain text and accepting a deletion removes the text; rejecting does the reverse. Ranges are
 * applied from the last to the first, so earlier offsets stay valid.
 */
export function resolveRanges(ranges: readonly SuggestionRange[], decision: SuggestionDecision): void {
  for (const range of [...ranges].reverse()) {
    const keepsText = (range.kind === 'insert') === (decision === 'accept');
    const markName = suggestionMarkNames[range.kind];
    if (keepsText) range.text.format(range.index, range.length, { [markName]: null });
    else range.text.delete(range.index, range.length);
  }
}
