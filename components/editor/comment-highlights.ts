import { Extension } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import {
  absolutePositionToRelativePosition,
  relativePositionToAbsolutePosition,
  ySyncPluginKey,
} from '@tiptap/y-tiptap';
import * as Y from 'yjs';

/**
 * Highlights of commented passages as ProseMirror decorations: nothing is written into the document (commenters
 * may not write it). Each thread's anchor is a pair of Yjs relative positions; they are mapped to ProseMirror
 * positions through the ySync binding's mapping, so a highlight follows the passage through everyone's edits.
 */
export interface HighlightThread {
  id: string;
  anchor: { start: string; end: string };
  status: 'open' | 'resolved';
}

/** Where a thread's passage is in the editor now; `null` when it is detached (deleted). */
export type ThreadRanges = Map<string, { from: number; to: number } | null>;

interface PluginState {
  threads: HighlightThread[];
  activeId: string | null;
  ranges: ThreadRanges;
  decorations: DecorationSet;
  /** A local edit mapped the highlights; they are recomputed from the anchors once the binding caught up. */
  stale: boolean;
}

export const commentHighlightsKey = new PluginKey<PluginState>('commentHighlights');

const fromBase64 = (s: string) => Y.decodeRelativePosition(Uint8Array.from(atob(s), (c) => c.charCodeAt(0)));
const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

function binding(state: EditorState) {
  const b = ySyncPluginKey.getState(state)?.binding;
  return b?.mapping?.size ? (b as { doc: Y.Doc; type: Y.XmlFragment; mapping: Map<unknown, unknown> }) : undefined;
}

function compute(state: EditorState, threads: HighlightThread[], activeId: string | null) {
  const b = binding(state);
  const ranges: ThreadRanges = new Map();
  const decorations: Decoration[] = [];
  for (const t of threads) {
    let range: { from: number; to: number } | null = null;
    if (b) {
      try {
        const from = relativePositionToAbsolutePosition(b.doc, b.type, fromBase64(t.anchor.start), b.mapping as never);
        const to = relativePositionToAbsolutePosition(b.doc, b.type, fromBase64(t.anchor.end), b.mapping as never);
        if (from !== null && to !== null && to > from && to <= state.doc.content.size) range = { from, to };
      } catch {
        range = null; // an anchor into content this client does not have (yet) is shown as detached
      }
    }
    ranges.set(t.id, range);
    if (range && (t.status === 'open' || t.id === activeId)) {
      const cls = `comment-highlight${t.id === activeId ? ' comment-highlight-active' : ''}${t.status === 'resolved' ? ' comment-highlight-resolved' : ''}`;
      decorations.push(Decoration.inline(range.from, range.to, { class: cls, 'data-thread-id': t.id }));
    }
  }
  return { ranges, decorations: DecorationSet.create(state.doc, decorations) };
}

/** The editor's selection as an anchor (base64 relative positions), trimmed to the text it covers. */
export function selectionAnchor(state: EditorState): { start: string; end: string; quote: string } | null {
  const b = binding(state);
  const range = textRange(state.doc, state.selection.from, state.selection.to);
  if (!b || !range) return null;
  const rel = (pos: number) =>
    toBase64(Y.encodeRelativePosition(absolutePositionToRelativePosition(pos, b.type, b.mapping as never)));
  return { start: rel(range.from), end: rel(range.to), quote: state.doc.textBetween(range.from, range.to, '\n') };
}

function textRange(doc: PMNode, from: number, to: number) {
  let start = -1;
  let end = -1;
  doc.nodesBetween(from, to, (node, pos) => {
    if (!node.isText) return true;
    const s = Math.max(from, pos);
    const e = Math.min(to, pos + node.nodeSize);
    if (e > s) {
      if (start < 0) start = s;
      end = e;
    }
    return false;
  });
  return start < 0 || !doc.textBetween(start, end).trim() ? null : { from: start, to: end };
}

export function setHighlightThreads(view: EditorView, threads: HighlightThread[], activeId: string | null) {
  view.dispatch(view.state.tr.setMeta(commentHighlightsKey, { threads, activeId }));
}

export interface CommentHighlightsOptions {
  onSelectThread: (id: string) => void;
  onRanges: (ranges: ThreadRanges) => void;
}

export const CommentHighlights = Extension.create<CommentHighlightsOptions>({
  name: 'commentHighlights',
  addOptions: () => ({ onSelectThread: () => {}, onRanges: () => {} }),
  addProseMirrorPlugins() {
    const options = this.options;
    return [
      new Plugin<PluginState>({
        key: commentHighlightsKey,
        state: {
          init: () => ({
            threads: [],
            activeId: null,
            ranges: new Map(),
            decorations: DecorationSet.empty,
            stale: false,
          }),
          apply(tr, value, _old, state) {
            const meta = tr.getMeta(commentHighlightsKey) as
              { threads?: HighlightThread[]; activeId?: string | null; recompute?: boolean } | undefined;
            const remote = tr.getMeta(ySyncPluginKey)?.isChangeOrigin === true;
            // Remote changes arrive with the binding's mapping already updated; local ones update it afterwards.
            if (meta || remote) {
              const threads = meta?.threads ?? value.threads;
              const activeId = meta?.activeId !== undefined ? meta.activeId : value.activeId;
              return { threads, activeId, ...compute(state, threads, activeId), stale: false };
            }
            if (!tr.docChanged) return value;
            return { ...value, decorations: value.decorations.map(tr.mapping, tr.doc), stale: true };
          },
        },
        props: {
          decorations: (state) => commentHighlightsKey.getState(state)?.decorations,
          handleClick: (_view, _pos, event) => {
            const el = (event.target as HTMLElement | null)?.closest?.('[data-thread-id]');
            const id = el?.getAttribute('data-thread-id');
            if (id) options.onSelectThread(id);
            return false;
          },
        },
        view: () => {
          let reported: ThreadRanges | undefined;
          return {
            update: (view) => {
              const value = commentHighlightsKey.getState(view.state);
              if (!value) return;
              if (value.stale)
                queueMicrotask(
                  () =>
                    !view.isDestroyed &&
                    view.dispatch(view.state.tr.setMeta(commentHighlightsKey, { recompute: true })),
                );
              else if (value.ranges !== reported) {
                reported = value.ranges;
                options.onRanges(value.ranges);
              }
            },
          };
        },
      }),
    ];
  },
});
