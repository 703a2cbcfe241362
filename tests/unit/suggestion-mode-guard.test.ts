import fc from 'fast-check';
import { Fragment } from '@tiptap/pm/model';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { documentSchema } from '../../common/schema/extensions';
import { contentFragmentName } from '../../common/schema/fragment';
import { acceptedJSON, type SuggestionJSONNode } from '../../common/suggestions';
import {
  suggestDelete,
  suggestionModePlugin,
  suggestReplace,
  type SuggestResult,
  type Suggester,
} from '../../components/editor/suggestion-mode';
import { SuggestionGuard } from '../../server/collab/suggestion-guard';
import { jsonFromYDoc, paragraph, stateFromJSON, text, type PMNode } from '../../server/content/prosemirror';

/**
 * The editor's suggestion mode against the server's guard: every change the editor makes while suggesting, turned
 * into a Yjs update by the same binding code as in the browser (y-tiptap's updateYFragment, a text diff), is
 * accepted by the collaboration server's check for a commenter and leaves the accepted text as it was.
 */
const schema = documentSchema();
const mayor = 'user-mayor';
const other = 'user-other';
const at = '2026-11-30T10:00:00.000Z';

const start: PMNode = {
  type: 'doc',
  content: [
    paragraph('De regio biedt een handreiking aan de gemeenten.'),
    {
      type: 'paragraph',
      content: [
        text('Wij doen een '),
        text('handreiking', [{ type: 'suggestionDelete', attrs: { id: 's-other', authorId: other, createdAt: at } }]),
        text('aanbod', [{ type: 'suggestionInsert', attrs: { id: 's-other', authorId: other, createdAt: at } }]),
        text(' voor '),
        text('alle', [{ type: 'bold' }]),
        text(' colleges.'),
      ],
    },
  ],
};

function suggester(): Suggester {
  let n = 0;
  return { authorId: mayor, newId: () => `s-mayor-${++n}`, now: () => at };
}

/** The live document with its guard, and the mayor's editor bound to a Yjs copy of it. */
function setup() {
  const live = new Y.Doc();
  Y.applyUpdate(live, stateFromJSON(start));
  const guard = new SuggestionGuard(live);
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(live));
  const fragment = client.getXmlFragment(contentFragmentName);
  const meta = { mapping: new Map(), isOMark: new Map() };
  let state = EditorState.create({
    doc: yXmlFragmentToProseMirrorRootNode(fragment, schema),
    plugins: [suggestionModePlugin({ authorId: mayor, suggesting: true, onBlocked: () => {} })],
  });
  const acceptedBefore = JSON.stringify(acceptedJSON(jsonFromYDoc(live) as SuggestionJSONNode));
  const verdicts: string[] = [];
  /** Applies an editor result, writes it to Yjs as the binding does, and offers the update to the guard. */
  const apply = (result: SuggestResult) => {
    if (!result || !('tr' in result)) return;
    state = state.apply(result.tr);
    const updates: Uint8Array[] = [];
    const record = (u: Uint8Array) => updates.push(u);
    client.on('update', record);
    client.transact(() => updateYFragment(client, fragment, state.doc, meta));
    client.off('update', record);
    if (!updates.length) return;
    const update = Y.mergeUpdates(updates);
    const verdict = guard.check(update, mayor);
    verdicts.push(verdict.ok ? 'ok' : verdict.reason);
    if (verdict.ok) Y.applyUpdate(live, update);
  };
  return {
    get state() {
      return state;
    },
    select: (anchor: number, head = anchor) =>
      (state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, anchor, head)))),
    apply,
    verdicts,
    accepted: () => JSON.stringify(acceptedJSON(jsonFromYDoc(live) as SuggestionJSONNode)),
    acceptedBefore,
    live,
  };
}

/** Position of the first occurrence of `needle` in the document's text. */
function find(state: EditorState, needle: string): number {
  let found = -1;
  state.doc.descendants((node, pos) => {
    if (found >= 0) return false;
    if (node.isTextblock) {
      let offset = pos + 1;
      let text = '';
      const starts: number[] = [];
      node.forEach((child) => {
        for (let i = 0; i < (child.text ?? '').length; i++) starts.push(offset + i);
        text += child.text ?? '';
        offset += child.nodeSize;
      });
      const i = text.indexOf(needle);
      if (i >= 0) found = starts[i]!;
      return false;
    }
    return true;
  });
  if (found < 0) throw new Error(`not found: ${needle}`);
  return found;
}

describe('suggestion mode and the server guard', () => {
  it('typing, replacing, deleting and pasting as the mayor: every update accepted, the accepted text unchanged', () => {
    const s = suggester();
    const ed = setup();
    // Replace "handreiking" in the first paragraph by "aanbod", keystroke by keystroke.
    const from = find(ed.state, 'handreiking');
    ed.select(from, from + 'handreiking'.length);
    for (const ch of 'aanbod') {
      const { from: a, to: b } = ed.state.selection;
      ed.apply(suggestReplace(ed.state, a, b, ch, s));
    }
    // Two Backspaces remove two of the typed letters for real, a third one more…
    for (let i = 0; i < 3; i++) ed.apply(suggestDelete(ed.state, -1, s));
    // …Delete forward marks accepted text, a word deletion too.
    ed.select(find(ed.state, 'gemeenten'));
    ed.apply(suggestDelete(ed.state, 1, s));
    ed.apply(suggestDelete(ed.state, -1, s, true));
    // Typing right after the other person's suggestion, and next to bold text.
    ed.select(find(ed.state, ' voor'));
    ed.apply(suggestReplace(ed.state, ed.state.selection.from, ed.state.selection.from, 'x', s));
    ed.select(find(ed.state, ' colleges'));
    ed.apply(suggestReplace(ed.state, ed.state.selection.from, ed.state.selection.from, 'maal', s));
    // A selection over accepted text and the other person's replacement.
    ed.select(find(ed.state, 'een handreiking'), find(ed.state, ' voor'));
    ed.apply(suggestDelete(ed.state, -1, s));
    // Paste.
    ed.select(find(ed.state, 'Wij'));
    ed.apply(
      suggestReplace(
        ed.state,
        ed.state.selection.from,
        ed.state.selection.from,
        Fragment.from(schema.text('Plak ')),
        s,
      ),
    );
    expect(ed.verdicts.length).toBeGreaterThan(12);
    expect(ed.verdicts.filter((v) => v !== 'ok')).toEqual([]);
    expect(ed.accepted()).toBe(ed.acceptedBefore);
  });

  it('property: any script of suggestion-mode edits passes the guard and keeps the accepted text', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('type' as const),
        at: fc.nat(),
        len: fc.nat({ max: 4 }),
        text: fc.stringMatching(/^[a-z ]{1,3}$/),
      }),
      fc.record({
        kind: fc.constant('delete' as const),
        at: fc.nat(),
        len: fc.nat({ max: 6 }),
        dir: fc.constantFrom(-1 as const, 1 as const),
        word: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), (script) => {
        const s = suggester();
        const ed = setup();
        for (const o of script) {
          // A position inside a paragraph's text: the selection is clamped into text positions.
          const size = ed.state.doc.content.size;
          const $a = ed.state.doc.resolve(Math.min(size, o.at % (size + 1)));
          const a = TextSelection.near($a).from;
          const b = TextSelection.near(ed.state.doc.resolve(Math.min(size, a + o.len))).to;
          ed.select(a, Math.max(a, b));
          const { from, to } = ed.state.selection;
          ed.apply(
            o.kind === 'type'
              ? suggestReplace(ed.state, from, to, o.text, s)
              : suggestDelete(ed.state, o.dir, s, o.word),
          );
        }
        expect(ed.verdicts.filter((v) => v !== 'ok')).toEqual([]);
        expect(ed.accepted()).toBe(ed.acceptedBefore);
      }),
      { numRuns: 150 },
    );
  });
});
