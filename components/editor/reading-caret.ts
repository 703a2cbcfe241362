import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, Selection, TextSelection, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';

/**
 * Caret browsing in the read-only text, so a mayor who uses only the keyboard can select a passage to comment on.
 *
 * Why not a contenteditable that refuses every edit: the text would then be announced and treated as an edit field
 * (a phone raises its keyboard, input methods and spell checking write into the DOM before anything can refuse
 * them), and the read-only state the rest of the app and the server rely on would be a convention instead of the
 * view's. So the text stays `contenteditable="false"`, becomes one Tab stop (`tabindex="0"`, `aria-readonly`), and
 * this plugin moves the ProseMirror selection itself: arrows (with Ctrl by word, with Shift extending), Home/End
 * (the paragraph), Ctrl+Home/End (the document). The caret and the selected passage are drawn as decorations while
 * the text has focus; mouse selections keep working as before (ProseMirror reads the DOM selection).
 */
const key = new PluginKey<{ focused: boolean }>('readingCaret');

function textPos(state: EditorState, pos: number, dir: 1 | -1): number {
  const clamped = Math.max(0, Math.min(state.doc.content.size, pos));
  const $pos = state.doc.resolve(clamped);
  if ($pos.parent.inlineContent) return clamped;
  return (Selection.findFrom($pos, dir, true) ?? Selection.near($pos, dir)).head;
}

function charMove(state: EditorState, head: number, dir: 1 | -1): number {
  const $head = state.doc.resolve(head);
  const atEdge = dir > 0 ? head >= $head.end() : head <= $head.start();
  if (!atEdge) return head + dir;
  // Into the next (previous) text block: the first position found past the block boundary.
  const next = Selection.findFrom(state.doc.resolve(dir > 0 ? $head.after() : $head.before()), dir, true);
  return next ? next.head : head;
}

function wordMove(state: EditorState, head: number, dir: 1 | -1): number {
  const $head = state.doc.resolve(head);
  const text = $head.parent.textBetween(0, $head.parent.content.size, undefined, '\ufffc');
  let offset = $head.parentOffset;
  if (dir > 0 ? offset >= text.length : offset <= 0) return charMove(state, head, dir);
  const isWord = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_]/u.test(c);
  if (dir > 0) {
    while (offset < text.length && !isWord(text[offset])) offset++;
    while (offset < text.length && isWord(text[offset])) offset++;
  } else {
    while (offset > 0 && !isWord(text[offset - 1])) offset--;
    while (offset > 0 && isWord(text[offset - 1])) offset--;
  }
  return $head.start() + offset;
}

function lineMove(view: EditorView, head: number, dir: 1 | -1, goalX: number): number {
  let coords = view.coordsAtPos(head);
  const lineHeight = Math.max(8, coords.bottom - coords.top);
  // The line to find must be on screen (posAtCoords reads the rendered page): scroll first when the caret is near
  // an edge; at the top, the sticky status bar, comment button and toolbar cover about 10rem.
  const win = view.dom.ownerDocument.defaultView;
  if (win) {
    const room = 4 * lineHeight;
    const shift = dir > 0 ? coords.bottom + room - win.innerHeight : Math.min(0, coords.top - room - 10 * 16);
    if (dir > 0 ? shift > 0 : shift < 0) {
      win.scrollBy(0, shift);
      coords = view.coordsAtPos(head);
    }
  }
  // Look a little further each time until a position below (above) the caret's line turns up, past table borders
  // and margins between blocks.
  for (let step = 1; step <= 12; step++) {
    const top = dir > 0 ? coords.bottom + (step * lineHeight) / 2 : coords.top - (step * lineHeight) / 2;
    const found = view.posAtCoords({ left: goalX, top });
    if (!found) continue;
    const pos = textPos(view.state, found.pos, dir);
    const c = view.coordsAtPos(pos);
    if (dir > 0 ? c.top >= coords.bottom - 1 : c.bottom <= coords.top + 1) return pos;
  }
  // Nothing found on screen: the start of the next (end of the previous) text block.
  const $head = view.state.doc.resolve(head);
  return charMove(view.state, dir > 0 ? $head.end() : $head.start(), dir);
}

export const ReadingCaret = Extension.create({
  name: 'readingCaret',
  // Before the keymaps of the other extensions; they act only while the text is editable anyway.
  priority: 1100,
  addProseMirrorPlugins() {
    // The column a run of Up/Down keeps to, as long as nothing else moved the caret in between.
    let goalX: number | null = null;
    let verticalHead = -1;
    return [
      new Plugin({
        key,
        state: {
          init: () => ({ focused: false }),
          apply: (tr, value) => (tr.getMeta(key) as { focused: boolean } | undefined) ?? value,
        },
        props: {
          decorations(state) {
            const focused = key.getState(state)?.focused;
            if (!focused) return null;
            const { from, to, head } = state.selection;
            const caret = document.createElement('span');
            caret.className = 'reading-caret';
            caret.setAttribute('aria-hidden', 'true');
            const decorations = [Decoration.widget(head, caret, { side: head === from ? -1 : 1, key: 'caret' })];
            if (from < to) decorations.push(Decoration.inline(from, to, { class: 'reading-selection' }));
            return DecorationSet.create(state.doc, decorations);
          },
          handleDOMEvents: {
            focus(view) {
              if (view.editable) return false;
              const tr = view.state.tr.setMeta(key, { focused: true });
              // Reached with Tab or the skip link (no selection of the reader's in the text yet): the caret starts
              // at the beginning, where reading starts, not wherever synchronisation left the selection.
              const dom = view.dom.ownerDocument.getSelection();
              if (!dom?.anchorNode || !view.dom.contains(dom.anchorNode)) tr.setSelection(Selection.atStart(tr.doc));
              view.dispatch(tr);
              return false;
            },
            blur(view) {
              if (key.getState(view.state)?.focused) view.dispatch(view.state.tr.setMeta(key, { focused: false }));
              return false;
            },
            keydown(view, event) {
              if (view.editable || event.altKey || event.metaKey) return false;
              const { state } = view;
              const { anchor, head } = state.selection;
              const dir: 1 | -1 =
                event.key === 'ArrowRight' || event.key === 'ArrowDown' || event.key === 'End' ? 1 : -1;
              let next: number;
              switch (event.key) {
                case 'ArrowLeft':
                case 'ArrowRight':
                  next = event.ctrlKey ? wordMove(state, head, dir) : charMove(state, head, dir);
                  goalX = null;
                  break;
                case 'ArrowUp':
                case 'ArrowDown':
                  if (goalX === null || head !== verticalHead) goalX = view.coordsAtPos(head).left;
                  next = lineMove(view, head, dir, goalX);
                  verticalHead = next;
                  break;
                case 'Home':
                case 'End': {
                  const $head = state.doc.resolve(head);
                  if (event.ctrlKey)
                    next = dir > 0 ? Selection.atEnd(state.doc).head : Selection.atStart(state.doc).head;
                  else next = dir > 0 ? $head.end() : $head.start();
                  goalX = null;
                  break;
                }
                default:
                  return false;
              }
              event.preventDefault();
              const selection = TextSelection.between(
                state.doc.resolve(event.shiftKey ? anchor : next),
                state.doc.resolve(next),
              );
              view.dispatch(state.tr.setSelection(selection).scrollIntoView());
              return true;
            },
          },
        },
      }),
    ];
  },
});
