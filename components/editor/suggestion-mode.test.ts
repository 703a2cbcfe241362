import { Fragment, Slice, type Node as PMNode } from '@tiptap/pm/model';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import { documentSchema } from '@/common/schema/extensions';
import { suggestionMarkNames } from '@/common/schema/suggestions';
import {
  inlineContent,
  isSuggesting,
  suggestDelete,
  suggestionModeKey,
  suggestionModePlugin,
  suggestReplace,
  type BlockedReason,
  type SuggestResult,
  type Suggester,
} from './suggestion-mode';

const schema = documentSchema();
const time = '2026-11-30T12:00:00.000Z';

function suggester(authorId = 'u-me'): Suggester {
  let n = 0;
  return { authorId, newId: () => `${authorId}-${++n}`, now: () => time };
}

const ins = (text: string, id: string, authorId: string) =>
  schema.text(text, [schema.marks[suggestionMarkNames.insert]!.create({ id, authorId, createdAt: time })]);
const del = (text: string, id: string, authorId: string) =>
  schema.text(text, [schema.marks[suggestionMarkNames.delete]!.create({ id, authorId, createdAt: time })]);
const txt = (text: string) => schema.text(text);
const p = (...content: PMNode[]) => schema.node('paragraph', null, content);

/** A state with the plugin, suggesting, and the caret (or selection) at document positions. */
function stateOf(paragraphs: PMNode[], anchor: number, head = anchor, blocked: BlockedReason[] = []) {
  const doc = schema.node('doc', null, paragraphs);
  return EditorState.create({
    doc,
    selection: TextSelection.create(doc, anchor, head),
    plugins: [suggestionModePlugin({ authorId: 'u-me', suggesting: true, onBlocked: (r) => blocked.push(r) })],
  });
}

/** Applies a suggestion result (through the filter, as the editor does). */
function after(state: EditorState, result: SuggestResult): EditorState {
  if (!result || !('tr' in result)) throw new Error(`expected a transaction, got ${JSON.stringify(result)}`);
  const next = state.apply(result.tr);
  expect(next.doc.eq(state.doc)).toBe(false);
  return next;
}

/** Each text run of the first paragraph as [text, kind?, id?, author?]. */
function runs(state: EditorState, index = 0): (string | undefined)[][] {
  const out: (string | undefined)[][] = [];
  state.doc.child(index).forEach((node) => {
    const mark = node.marks.find((m) => m.type.name.startsWith('suggestion'));
    const kind = mark && (mark.type.name === suggestionMarkNames.insert ? 'ins' : 'del');
    out.push(mark ? [node.text, kind, mark.attrs.id as string, mark.attrs.authorId as string] : [node.text]);
  });
  return out;
}

/** The accepted text: every open suggestion rejected (insertions left out, deletions kept). */
function accepted(state: EditorState): string {
  const blocks: string[] = [];
  state.doc.descendants((node) => {
    if (!node.isTextblock) return true;
    let text = '';
    node.forEach((child) => {
      if (!child.marks.some((m) => m.type.name === suggestionMarkNames.insert)) text += child.text ?? '';
    });
    blocks.push(text);
    return false;
  });
  return blocks.join('\n');
}

describe('suggestion mode: typing', () => {
  it('inserts typed text as an own suggested insertion; consecutive keystrokes continue it', () => {
    const s = suggester();
    let state = stateOf([p(txt('de handreiking'))], 4);
    state = after(state, suggestReplace(state, 4, 4, 'nieuwe ', s));
    state = after(state, suggestReplace(state, 11, 11, 'x', s));
    expect(runs(state)).toEqual([['de '], ['nieuwe x', 'ins', 'u-me-1', 'u-me'], ['handreiking']]);
    expect(accepted(state)).toBe('de handreiking');
    expect(state.selection.head).toBe(12);
  });

  it('replacing a selection gives a deletion and an insertion with one id, the insertion after the deletion', () => {
    const s = suggester();
    let state = stateOf([p(txt('de handreiking is klaar'))], 4, 15);
    state = after(state, suggestReplace(state, 4, 15, 'a', s));
    state = after(state, suggestReplace(state, state.selection.head, state.selection.head, 'anbod', s));
    expect(runs(state)).toEqual([
      ['de '],
      ['handreiking', 'del', 'u-me-1', 'u-me'],
      ['aanbod', 'ins', 'u-me-1', 'u-me'],
      [' is klaar'],
    ]);
    expect(accepted(state)).toBe('de handreiking is klaar');
  });

  it('never continues or enters someone else’s suggestion', () => {
    const s = suggester();
    let state = stateOf([p(txt('ab'), ins('XYZ', 'o-1', 'u-other'), txt('cd'))], 6);
    // Right after their insertion (their mark is inclusive): the new text is the person's own, not theirs.
    state = after(state, suggestReplace(state, 6, 6, 'q', s));
    expect(runs(state)).toEqual([['ab'], ['XYZ', 'ins', 'o-1', 'u-other'], ['q', 'ins', 'u-me-1', 'u-me'], ['cd']]);
    // Strictly inside it: refused.
    expect(suggestReplace(state, 4, 4, 'q', s)).toEqual({ blocked: 'others' });
    // A selection of only their text: refused, nothing changes.
    expect(suggestReplace(state, 3, 6, 'q', s)).toEqual({ blocked: 'others' });
  });

  it('typing inside a run suggested for deletion goes after the run', () => {
    const s = suggester();
    const state = stateOf([p(txt('a'), del('bcd', 'm-1', 'u-me'), txt('e'))], 3);
    const next = after(state, suggestReplace(state, 3, 3, 'X', s));
    expect(runs(next)).toEqual([['a'], ['bcd', 'del', 'm-1', 'u-me'], ['X', 'ins', 'm-1', 'u-me'], ['e']]);
  });

  it('keeps formatting around the caret but never a suggestion mark of the text beside it', () => {
    const s = suggester();
    const bold = schema.marks.bold!.create();
    const state = stateOf([p(schema.text('vet', [bold]), txt(' gewoon'))], 4);
    const next = after(state, suggestReplace(state, 4, 4, 'ter', s));
    expect(runs(next)).toEqual([['vet'], ['ter', 'ins', 'u-me-1', 'u-me'], [' gewoon']]);
    expect(
      next.doc
        .child(0)
        .child(1)
        .marks.map((m) => m.type.name)
        .sort(),
    ).toEqual(['bold', suggestionMarkNames.insert]);
  });

  it('paste: blocks become one line of suggested text, their formatting kept, foreign suggestion marks dropped', () => {
    const s = suggester();
    const bold = schema.marks.bold!.create();
    const slice = new Slice(Fragment.from([p(schema.text('Eén', [bold])), p(ins('twee', 'o-9', 'u-other'))]), 1, 1);
    const content = inlineContent(slice);
    expect(content.textBetween(0, content.size)).toBe('Eén twee');
    const state = stateOf([p(txt('xy'))], 2);
    const next = after(state, suggestReplace(state, 2, 2, content, s));
    expect(runs(next)).toEqual([['x'], ['Eén', 'ins', 'u-me-1', 'u-me'], [' twee', 'ins', 'u-me-1', 'u-me'], ['y']]);
    expect(accepted(next)).toBe('xy');
  });
});

describe('suggestion mode: deleting', () => {
  it('Backspace marks accepted text as deleted and moves the caret before it; repeated, one suggestion', () => {
    const s = suggester();
    let state = stateOf([p(txt('abcdef'))], 5);
    state = after(state, suggestDelete(state, -1, s));
    state = after(state, suggestDelete(state, -1, s));
    expect(runs(state)).toEqual([['ab'], ['cd', 'del', 'u-me-1', 'u-me'], ['ef']]);
    expect(state.selection.head).toBe(3);
    expect(accepted(state)).toBe('abcdef');
    // Typing now makes it a replacement (same id).
    state = after(state, suggestReplace(state, 3, 3, 'Z', s));
    expect(runs(state)).toEqual([['ab'], ['Z', 'ins', 'u-me-1', 'u-me'], ['cd', 'del', 'u-me-1', 'u-me'], ['ef']]);
  });

  it('Backspace skips text already suggested for deletion (anyone’s) and marks the character before it', () => {
    const s = suggester();
    const state = stateOf([p(txt('abc'), del('de', 'o-1', 'u-other'), txt('f'))], 6);
    const next = after(state, suggestDelete(state, -1, s));
    expect(runs(next)).toEqual([['ab'], ['c', 'del', 'u-me-1', 'u-me'], ['de', 'del', 'o-1', 'u-other'], ['f']]);
    expect(next.selection.head).toBe(3);
  });

  it('Backspace and Delete really remove the person’s own suggested insertion', () => {
    const s = suggester();
    let state = stateOf([p(txt('ab'), ins('xyz', 'm-1', 'u-me'), txt('cd'))], 6);
    state = after(state, suggestDelete(state, -1, s));
    expect(runs(state)).toEqual([['ab'], ['xy', 'ins', 'm-1', 'u-me'], ['cd']]);
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, 3)));
    state = after(state, suggestDelete(state, 1, s));
    expect(runs(state)).toEqual([['ab'], ['y', 'ins', 'm-1', 'u-me'], ['cd']]);
  });

  it('Delete marks forward and moves the caret after the character', () => {
    const s = suggester();
    let state = stateOf([p(txt('abc'))], 2);
    state = after(state, suggestDelete(state, 1, s));
    state = after(state, suggestDelete(state, 1, s));
    expect(runs(state)).toEqual([['a'], ['bc', 'del', 'u-me-1', 'u-me']]);
    expect(state.selection.head).toBe(4);
  });

  it('Ctrl+Backspace marks the word before the caret', () => {
    const s = suggester();
    const state = stateOf([p(txt('een oud woord'))], 9);
    const next = after(state, suggestDelete(state, -1, s, true));
    expect(runs(next)).toEqual([['een '], ['oud ', 'del', 'u-me-1', 'u-me'], ['woord']]);
  });

  it('deleting a selection marks accepted text, removes own insertions, and leaves others’ suggestions alone', () => {
    const s = suggester();
    const state = stateOf(
      [p(txt('ab'), ins('mine', 'm-1', 'u-me'), ins('theirs', 'o-1', 'u-other'), txt('cd'))],
      2,
      14,
    );
    const next = after(state, suggestDelete(state, -1, s));
    expect(runs(next)).toEqual([
      ['a'],
      ['b', 'del', 'u-me-1', 'u-me'],
      ['theirs', 'ins', 'o-1', 'u-other'],
      ['c', 'del', 'u-me-1', 'u-me'],
      ['d'],
    ]);
    expect(accepted(next)).toBe('abcd');
    expect(next.selection.head).toBe(2);
  });

  it('refuses to join paragraphs or to delete someone else’s suggested insertion', () => {
    const s = suggester();
    const state = stateOf([p(txt('ab')), p(txt('cd'))], 5);
    expect(suggestDelete(state, -1, s)).toEqual({ blocked: 'structure' });
    expect(suggestDelete(stateOf([p(txt('ab')), p(txt('cd'))], 3), 1, s)).toEqual({ blocked: 'structure' });
    const theirs = stateOf([p(txt('a'), ins('xy', 'o-1', 'u-other'))], 4);
    expect(suggestDelete(theirs, -1, s)).toEqual({ blocked: 'others' });
  });
});

describe('suggestion mode: the filter', () => {
  it('refuses every other local change of the document while suggesting, and says why', () => {
    const blocked: BlockedReason[] = [];
    const state = stateOf([p(txt('abc'))], 1, 3, blocked);
    expect(isSuggesting(state)).toBe(true);
    const bold = state.apply(state.tr.addMark(1, 3, schema.marks.bold!.create()));
    expect(bold.doc.eq(state.doc)).toBe(true);
    const split = state.apply(state.tr.split(2));
    expect(split.doc.eq(state.doc)).toBe(true);
    const plain = state.apply(state.tr.insertText('x', 2));
    expect(plain.doc.eq(state.doc)).toBe(true);
    expect(blocked).toEqual(['format', 'structure', 'structure']);
  });

  it('lets the Yjs binding’s changes through (other people, undo), and everything when not suggesting', () => {
    const state = stateOf([p(txt('abc'))], 1);
    const remote = state.apply(state.tr.insertText('x', 2).setMeta(ySyncPluginKey, { isChangeOrigin: true }));
    expect(remote.doc.textContent).toBe('axbc');
    const editing = state.apply(state.tr.setMeta(suggestionModeKey, { suggesting: false }));
    expect(isSuggesting(editing)).toBe(false);
    expect(editing.apply(editing.tr.insertText('y', 2)).doc.textContent).toBe('aybc');
  });
});
