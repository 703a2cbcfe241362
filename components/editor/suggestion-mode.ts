import { Extension } from '@tiptap/core';
import { isChangeOrigin } from '@tiptap/extension-collaboration';
import { Fragment, type Mark, type Node as PMNode, type Slice } from '@tiptap/pm/model';
import { Plugin, PluginKey, TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state';
import { AddMarkStep, RemoveMarkStep } from '@tiptap/pm/transform';
import type { EditorView } from '@tiptap/pm/view';
import { suggestionMarkNames, type SuggestionAttributes } from '@/common/schema/suggestions';

/**
 * Suggestion mode in the editor: typing adds text marked `suggestionInsert`, deleting marks accepted text
 * `suggestionDelete` instead of removing it (common/schema/suggestions.ts has the representation).
 *
 * Why plugin props plus a filter, not appendTransaction: an appendTransaction would let ProseMirror delete accepted
 * text first and put it back marked afterwards. y-prosemirror turns the final document into Yjs operations by
 * diffing text, so that round trip may come out as a deletion and a re-insertion of accepted text, which the server
 * refuses for a commenter (and which would re-create the text as new Yjs items for everyone). Instead every way in
 * which a person changes text — typing (`handleTextInput`, which also receives spell-check replacements), Backspace
 * and Delete (`handleKeyDown`), paste, drop and cut — is answered here with a transaction built as a suggestion from
 * the start, and `filterTransaction` refuses every other local change of the document while suggesting: Enter,
 * formatting commands and shortcuts, input and paste rules, list indentation, table commands. Whatever path a change
 * takes, nothing but suggestions can reach the accepted text. Changes from the Yjs binding (other people, undo of
 * one's own suggestions) pass unchanged.
 *
 * Rules (the same the collaboration server enforces for commenters and the chair):
 * - a person only ever writes marks with their own `authorId`, and never on text that carries another person's
 *   suggestion; typing inside another person's suggested insertion is refused;
 * - deleting one's own suggested insertion really removes it; deleting accepted text marks it; text already marked
 *   as deleted is skipped over;
 * - consecutive keystrokes form one suggestion: the attributes (id, author, time) of an adjacent own suggestion are
 *   reused; replacing a selection gives the deletion and the insertion one id;
 * - no block-level suggestions: Enter, joining paragraphs and anything else that changes the structure is refused.
 */

/** Why an edit was refused in suggestion mode (the editor shows a translated message for each). */
export type BlockedReason = 'structure' | 'format' | 'others';

export interface Suggester {
  /** The signed-in person's user id: the author of every suggestion written here. */
  authorId: string;
  newId: () => string;
  /** ISO 8601 time. */
  now: () => string;
}

export type SuggestResult = { tr: Transaction } | { blocked: BlockedReason } | null;

interface PluginState {
  suggesting: boolean;
}

export const suggestionModeKey = new PluginKey<PluginState>('suggestionMode');
/** Meta on the transactions this module builds: the filter lets them through. */
const ownMeta = 'suggestionModeEdit';

/** A suggestion id; `crypto.randomUUID` exists only in secure contexts, random values everywhere. */
export function newSuggestionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `s-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export const browserSuggester = (authorId: string): Suggester => ({
  authorId,
  newId: newSuggestionId,
  now: () => new Date().toISOString(),
});

interface Found {
  kind: 'insert' | 'delete';
  attrs: SuggestionAttributes;
}

const types = (state: EditorState) => ({
  insert: state.schema.marks[suggestionMarkNames.insert]!,
  delete: state.schema.marks[suggestionMarkNames.delete]!,
});

/** The suggestion a text node belongs to, if any. */
function suggestionOf(node: PMNode | null | undefined): Found | undefined {
  for (const mark of node?.marks ?? []) {
    if (mark.type.name === suggestionMarkNames.insert)
      return { kind: 'insert', attrs: mark.attrs as SuggestionAttributes };
    if (mark.type.name === suggestionMarkNames.delete)
      return { kind: 'delete', attrs: mark.attrs as SuggestionAttributes };
  }
  return undefined;
}

const own = (found: Found | undefined, s: Suggester, kind?: Found['kind']) =>
  found !== undefined && found.attrs.authorId === s.authorId && (kind === undefined || found.kind === kind);
const foreign = (found: Found | undefined, s: Suggester) => found !== undefined && found.attrs.authorId !== s.authorId;
const withoutSuggestions = (marks: readonly Mark[]) =>
  marks.filter((m) => m.type.name !== suggestionMarkNames.insert && m.type.name !== suggestionMarkNames.delete);

/** Whether suggestion mode is on in this editor state. */
export const isSuggesting = (state: EditorState) => suggestionModeKey.getState(state)?.suggesting ?? false;

/** Switches suggestion mode on or off (the toolbar toggle; commenters and the chair start with it on). */
export function setSuggesting(view: EditorView, suggesting: boolean) {
  if (isSuggesting(view.state) !== suggesting) view.dispatch(view.state.tr.setMeta(suggestionModeKey, { suggesting }));
}

/**
 * Marks the accepted text in [from, to] as deleted (with `attrs()`, called once if needed) and removes the person's
 * own suggested insertions there; text in other suggestions is left alone. Returns what it found.
 */
function suggestDeletionIn(tr: Transaction, from: number, to: number, s: Suggester, attrs: () => SuggestionAttributes) {
  const deleteType = tr.doc.type.schema.marks[suggestionMarkNames.delete]!;
  const accepted: [number, number][] = [];
  const ownInserts: [number, number][] = [];
  let others = false;
  tr.doc.nodesBetween(from, to, (node, pos, parent) => {
    if (!node.isText) return true; // hard breaks and other inline nodes are structure: left as they are
    const start = Math.max(from, pos);
    const end = Math.min(to, pos + node.nodeSize);
    if (end <= start) return false;
    const found = suggestionOf(node);
    if (!found) {
      if (parent?.type.allowsMarkType(deleteType)) accepted.push([start, end]);
    } else if (own(found, s, 'insert')) ownInserts.push([start, end]);
    else if (foreign(found, s)) others = true;
    return false;
  });
  let marked: SuggestionAttributes | undefined;
  if (accepted.length) {
    marked = attrs();
    // Marks change no positions; the deletions after them run from the end so earlier ranges keep theirs.
    for (const [a, b] of accepted) tr.addMark(a, b, deleteType.create(marked));
  }
  for (const [a, b] of ownInserts.reverse()) tr.delete(a, b);
  return { marked, removed: ownInserts.length > 0, others };
}

/** The attributes of an own suggestion next to `pos` to continue, preferring insertions, else new ones. */
function adjacentOwn(doc: PMNode, pos: number, s: Suggester): SuggestionAttributes | undefined {
  const $pos = doc.resolve(pos);
  const before = suggestionOf($pos.nodeBefore);
  const after = suggestionOf($pos.nodeAfter);
  for (const [found, kind] of [
    [before, 'insert'],
    [after, 'insert'],
    [before, 'delete'],
    [after, 'delete'],
  ] as const)
    if (own(found, s, kind)) return found!.attrs;
  return undefined;
}

const fresh = (s: Suggester): SuggestionAttributes => ({ id: s.newId(), authorId: s.authorId, createdAt: s.now() });

/**
 * Replaces [from, to] by `content` as a suggestion: the accepted text in the range is marked as deleted, and the
 * content is inserted after it as a suggested insertion with the same id. `content` is plain text (typing) or
 * inline nodes (paste, drop), whose own formatting is kept and whose suggestion marks are dropped.
 */
export function suggestReplace(
  state: EditorState,
  from: number,
  to: number,
  content: string | Fragment,
  s: Suggester,
): SuggestResult {
  const tr = state.tr;
  const { insert: insertType } = types(state);
  let shared: SuggestionAttributes | undefined;
  if (from < to) {
    const result = suggestDeletionIn(tr, from, to, s, () => (shared = fresh(s)));
    if (!result.marked && !result.removed && result.others) return { blocked: 'others' };
  }
  let pos = tr.mapping.map(to);
  let $pos = tr.doc.resolve(pos);
  if (!$pos.parent.inlineContent || !$pos.parent.type.allowsMarkType(insertType)) return { blocked: 'structure' };
  // Inside a run of text suggested for deletion: the insertion goes after it, so the deletion stays whole.
  while (suggestionOf($pos.nodeAfter)?.kind === 'delete' && suggestionOf($pos.nodeBefore)?.kind === 'delete') {
    pos += $pos.nodeAfter!.nodeSize;
    $pos = tr.doc.resolve(pos);
  }
  const before = suggestionOf($pos.nodeBefore);
  const after = suggestionOf($pos.nodeAfter);
  // Strictly inside someone else's suggested insertion: writing there would change their suggestion.
  if (before && after && before.kind === 'insert' && foreign(before, s) && before.attrs.id === after.attrs.id)
    return { blocked: 'others' };
  const attrs = shared ?? adjacentOwn(tr.doc, pos, s) ?? fresh(s);
  const mark = insertType.create(attrs);
  const parent = $pos.parent;
  const allowed = (marks: readonly Mark[]) =>
    withoutSuggestions(marks).filter((m) => parent.type.allowsMarkType(m.type));
  const nodes: PMNode[] = [];
  if (typeof content === 'string') {
    if (content) nodes.push(state.schema.text(content, mark.addToSet(allowed($pos.marks()))));
  } else {
    content.forEach((node) => {
      if (node.isText) nodes.push(node.mark(mark.addToSet(allowed(node.marks))));
    });
  }
  const size = nodes.reduce((n, node) => n + node.nodeSize, 0);
  if (size) tr.insert(pos, Fragment.from(nodes));
  if (!tr.docChanged) return from < to ? { blocked: 'others' } : null;
  tr.setSelection(TextSelection.create(tr.doc, pos + size));
  return { tr: tr.setMeta(ownMeta, true).scrollIntoView() };
}

/** Range of the word before (dir -1) or after (dir 1) `pos` in its textblock, for Ctrl/Alt+Backspace and Delete. */
function wordRange(state: EditorState, pos: number, dir: -1 | 1): [number, number] {
  const $pos = state.doc.resolve(pos);
  const start = $pos.start();
  const text = $pos.parent.textBetween(0, $pos.parent.content.size, undefined, '\u0000');
  let i = $pos.parentOffset;
  const space = (k: number) => /\s/.test(text[k] ?? '');
  if (dir < 0) {
    while (i > 0 && space(i - 1)) i--;
    while (i > 0 && !space(i - 1) && text[i - 1] !== '\u0000') i--;
    return [start + i, pos];
  }
  while (i < text.length && space(i)) i++;
  while (i < text.length && !space(i) && text[i] !== '\u0000') i++;
  return [pos, start + i];
}

/**
 * Backspace (dir -1) or Delete (dir 1) as a suggestion. With a selection: its accepted text is marked, own
 * insertions removed. Without: the next character in that direction, skipping text already suggested for deletion;
 * the caret moves past it, so holding the key keeps going. Joining paragraphs is structure and refused.
 */
export function suggestDelete(state: EditorState, dir: -1 | 1, s: Suggester, byWord = false): SuggestResult {
  const { selection } = state;
  if (!selection.empty) return deleteRange(state, selection.from, selection.to, s, selection.from);
  let pos = selection.head;
  let $pos = state.doc.resolve(pos);
  if (!$pos.parent.inlineContent) return { blocked: 'structure' };
  let continued: SuggestionAttributes | undefined;
  for (;;) {
    const node = dir < 0 ? $pos.nodeBefore : $pos.nodeAfter;
    if (!node || !node.isText) return { blocked: 'structure' };
    const found = suggestionOf(node);
    if (found?.kind !== 'delete') break;
    if (own(found, s)) continued ??= found.attrs;
    pos += dir * node.nodeSize;
    $pos = state.doc.resolve(pos);
  }
  const node = (dir < 0 ? $pos.nodeBefore : $pos.nodeAfter)!;
  const found = suggestionOf(node);
  if (foreign(found, s)) return { blocked: 'others' };
  let [from, to] = byWord ? wordRange(state, pos, dir) : charRange(node, pos, dir);
  if (!byWord && found === undefined) {
    // One accepted character: continue the own deletion next to it, else start one.
    const tr = state.tr;
    const attrs = continued ?? ownDeletionBeside(state.doc, from, to, s) ?? fresh(s);
    tr.addMark(from, to, types(state).delete.create(attrs));
    tr.setSelection(TextSelection.create(tr.doc, dir < 0 ? from : to));
    return { tr: tr.setMeta(ownMeta, true).scrollIntoView() };
  }
  if (to <= from) return null;
  [from, to] = [Math.min(from, to), Math.max(from, to)];
  return deleteRange(state, from, to, s, dir < 0 ? from : to, continued);
}

/** One character (a surrogate pair counts as one) before or after `pos`, within the text node `node`. */
function charRange(node: PMNode, pos: number, dir: -1 | 1): [number, number] {
  const text = node.text ?? '';
  const code = dir < 0 ? text.charCodeAt(text.length - 1) : text.charCodeAt(0);
  const pair = dir < 0 ? code >= 0xdc00 && code <= 0xdfff : code >= 0xd800 && code <= 0xdbff;
  const n = pair && text.length > 1 ? 2 : 1;
  return dir < 0 ? [pos - n, pos] : [pos, pos + n];
}

function ownDeletionBeside(doc: PMNode, from: number, to: number, s: Suggester) {
  const before = suggestionOf(doc.resolve(from).nodeBefore);
  const after = suggestionOf(doc.resolve(to).nodeAfter);
  if (own(before, s, 'delete')) return before!.attrs;
  if (own(after, s, 'delete')) return after!.attrs;
  return undefined;
}

function deleteRange(
  state: EditorState,
  from: number,
  to: number,
  s: Suggester,
  caret: number,
  continued?: SuggestionAttributes,
): SuggestResult {
  const tr = state.tr;
  const result = suggestDeletionIn(
    tr,
    from,
    to,
    s,
    () => continued ?? ownDeletionBeside(state.doc, from, to, s) ?? fresh(s),
  );
  if (!result.marked && !result.removed && result.others) return { blocked: 'others' };
  tr.setSelection(TextSelection.create(tr.doc, tr.mapping.map(caret, caret === from ? -1 : 1)));
  return { tr: tr.setMeta(ownMeta, true).scrollIntoView() };
}

/** A pasted or dropped slice as inline content: blocks joined by a space (paragraphs cannot be suggested). */
export function inlineContent(slice: Slice): Fragment {
  const nodes: PMNode[] = [];
  let previousBlock: PMNode | null = null;
  slice.content.descendants((node, _pos, parent) => {
    if (node.isText) {
      if (previousBlock && parent !== previousBlock && nodes.length) nodes.push(node.type.schema.text(' '));
      previousBlock = parent;
      nodes.push(node);
      return false;
    }
    if (node.type.name === 'hardBreak') nodes.push(node.type.schema.text(' '));
    return true;
  });
  return Fragment.from(nodes);
}

export interface SuggestionModeOptions {
  /** The signed-in person's user id. */
  authorId: string;
  /** Suggestion mode when the editor starts. */
  suggesting: boolean;
  /** An edit was refused in suggestion mode: tell the person why. */
  onBlocked: (reason: BlockedReason) => void;
}

/** A refused local change: formatting when it only adds or removes marks, otherwise structure. */
const blockedReason = (tr: Transaction): BlockedReason =>
  tr.steps.every((step) => step instanceof AddMarkStep || step instanceof RemoveMarkStep) ? 'format' : 'structure';

export function suggestionModePlugin(options: SuggestionModeOptions & { suggester?: Suggester }) {
  const s = options.suggester ?? browserSuggester(options.authorId);
  let view: EditorView | undefined;
  const apply = (v: EditorView, result: SuggestResult) => {
    if (result && 'tr' in result) v.dispatch(result.tr);
    else if (result) options.onBlocked(result.blocked);
    return true; // handled either way: the default would change the accepted text
  };
  return new Plugin<PluginState>({
    key: suggestionModeKey,
    state: {
      init: () => ({ suggesting: options.suggesting }),
      apply: (tr, value) => {
        const meta = tr.getMeta(suggestionModeKey) as PluginState | undefined;
        return meta ? { suggesting: meta.suggesting } : value;
      },
    },
    filterTransaction(tr, state) {
      if (!isSuggesting(state) || !tr.docChanged || tr.getMeta(ownMeta) || isChangeOrigin(tr)) return true;
      // Cut: the clipboard already has the text; the deletion becomes a suggestion instead.
      if (tr.getMeta('uiEvent') === 'cut' && view) {
        const v = view;
        queueMicrotask(() => !v.isDestroyed && apply(v, suggestDelete(v.state, -1, s)));
      } else options.onBlocked(blockedReason(tr));
      return false;
    },
    view(v) {
      view = v;
      return { destroy: () => void (view = undefined) };
    },
    props: {
      handleTextInput(v, from, to, text) {
        if (!isSuggesting(v.state)) return false;
        return apply(v, suggestReplace(v.state, from, to, text, s));
      },
      handleKeyDown(v, event) {
        if (!isSuggesting(v.state)) return false;
        if (event.key === 'Enter') return apply(v, { blocked: 'structure' });
        if (event.key !== 'Backspace' && event.key !== 'Delete') return false;
        const byWord = event.ctrlKey || event.altKey || event.metaKey;
        return apply(v, suggestDelete(v.state, event.key === 'Backspace' ? -1 : 1, s, byWord));
      },
      handlePaste(v, _event, slice) {
        if (!isSuggesting(v.state)) return false;
        const { from, to } = v.state.selection;
        return apply(v, suggestReplace(v.state, from, to, inlineContent(slice), s));
      },
      handleDrop(v, event, slice, moved) {
        if (!isSuggesting(v.state)) return false;
        // Moving text is a deletion and an insertion elsewhere: not offered as one suggestion.
        if (moved) return apply(v, { blocked: 'structure' });
        const at = v.posAtCoords({ left: event.clientX, top: event.clientY });
        if (!at) return true;
        return apply(v, suggestReplace(v.state, at.pos, at.pos, inlineContent(slice), s));
      },
    },
  });
}

/** The Tiptap extension; `setSuggesting` switches the mode of a running editor. */
export const SuggestionMode = Extension.create<SuggestionModeOptions>({
  name: 'suggestionMode',
  // Before the keymaps and input rules: in suggestion mode this plugin answers keys and typing first.
  priority: 1000,
  addOptions: () => ({ authorId: '', suggesting: false, onBlocked: () => {} }),
  addProseMirrorPlugins() {
    return [suggestionModePlugin(this.options)];
  },
});
