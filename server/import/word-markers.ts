import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { contentFragmentName } from '../../common/schema/extensions';
import { suggestionMarkNames } from '../../common/schema/suggestions';
import { suggestionMark, type SuggestionMark } from '../../common/suggestions';
import { normaliseAnchor, textIndexOf } from '../comments/anchors';
import { schema, type PMNode } from '../content/prosemirror';
import { normaliseMarks } from './prosemirror';
import { markerPattern, type PreparedWord } from './word-revisions';

/**
 * The second half of reading tracked changes and comments (the first is server/import/word-revisions.ts): the
 * markers that survived mammoth are taken out of the ProseMirror JSON again, the text between a revision's two
 * markers gets a suggestion mark (common/schema/suggestions.ts), and the places of comment ranges are remembered
 * as text positions, turned into Yjs anchors once the document's Y.Doc exists (`anchorComments`).
 *
 * A deletion immediately followed by an insertion of the same author (or the other way round), with no text in
 * between, is one replacement: both halves share one suggestion id, as Stukwerk writes a replacement to Word.
 */
export interface SuggestionCounts {
  insert: number;
  delete: number;
  replace: number;
}

/** A place in the final JSON: a text node and an offset in it. */
interface Boundary {
  node: PMNode;
  offset: number;
}

export interface MarkedDocument {
  doc: PMNode;
  suggestions: SuggestionCounts;
  /** Revisions whose text sits where Stukwerk allows no marks (a code block): kept as plain text. */
  unconvertible: number;
  /** Per Word comment (by index): where its range starts and ends, as far as the markers survived. */
  ranges: Map<number, { start?: Boundary; end?: Boundary }>;
}

export function applyMarkers(
  doc: PMNode,
  word: PreparedWord,
  authorOf: (name: string) => string,
  importedAt: string,
): MarkedDocument {
  const pattern = markerPattern(word.nonce);
  const insertType = schema().marks[suggestionMarkNames.insert]!;
  const kindsById = new Map<string, Set<SuggestionMark['kind']>>();
  const ranges = new Map<number, { start?: Boundary; end?: Boundary }>();
  const idOfRevision = new Map<number, string>();
  let unconvertible = 0;
  let active: number | undefined;
  /** The revision that ended last, while no text has followed it: the first half of a replacement. */
  let justClosed: number | undefined;
  let pendingStarts: number[] = [];
  let lastText: PMNode | undefined;

  const revisionId = (n: number) => {
    let id = idOfRevision.get(n);
    if (id) return id;
    const r = word.revisions[n]!;
    const before = justClosed === undefined ? undefined : word.revisions[justClosed];
    id = before && before.kind !== r.kind && before.author === r.author ? idOfRevision.get(justClosed!)! : randomUUID();
    idOfRevision.set(n, id);
    return id;
  };

  function marked(node: PMNode, parent: PMNode, text: string): PMNode {
    const out: PMNode = { type: 'text', text };
    let marks = node.marks ?? [];
    if (active !== undefined) {
      const r = word.revisions[active]!;
      if (schema().nodes[parent.type]?.allowsMarkType(insertType)) {
        const id = revisionId(active);
        const date = r.date && !Number.isNaN(Date.parse(r.date)) ? new Date(r.date).toISOString() : importedAt;
        // `code` excludes every other mark: the suggestion matters more than the monospace.
        marks = [
          ...marks.filter((m) => m.type !== 'code'),
          suggestionMark({ kind: r.kind, id, authorId: authorOf(r.author), createdAt: date }),
        ];
        if (!kindsById.has(id)) kindsById.set(id, new Set());
        kindsById.get(id)!.add(r.kind);
      } else unconvertible++;
    }
    const normalised = normaliseMarks(marks);
    if (normalised) out.marks = normalised;
    return out;
  }

  function walk(node: PMNode): PMNode {
    if (!node.content) return node;
    const content: PMNode[] = [];
    for (const child of node.content) {
      if (child.type !== 'text' || !child.text) {
        justClosed = undefined;
        content.push(walk(child));
        continue;
      }
      let at = 0;
      const emit = (text: string) => {
        if (!text) return;
        const piece = marked(child, node, text);
        content.push(piece);
        lastText = piece;
        justClosed = undefined;
        for (const c of pendingStarts) (ranges.get(c) ?? ranges.set(c, {}).get(c)!).start = { node: piece, offset: 0 };
        pendingStarts = [];
      };
      for (const m of child.text.matchAll(pattern)) {
        emit(child.text.slice(at, m.index));
        at = m.index + m[0].length;
        const [, closing, kind, digits] = m;
        const n = Number(digits);
        if (kind === 'C') {
          if (!closing) pendingStarts.push(n);
          else if (lastText)
            (ranges.get(n) ?? ranges.set(n, {}).get(n)!).end = { node: lastText, offset: lastText.text!.length };
        } else if (!closing && word.revisions[n]) active = n;
        else if (closing && active === n) {
          active = undefined;
          justClosed = n;
        }
      }
      emit(child.text.slice(at));
    }
    // A revision never spans paragraphs in Word: one whose end marker was lost ends with its paragraph.
    if (node.content.some((c) => c.type === 'text')) active = undefined;
    return { ...node, content };
  }

  const result = walk(doc);
  const suggestions: SuggestionCounts = { insert: 0, delete: 0, replace: 0 };
  for (const kinds of kindsById.values()) {
    if (kinds.size > 1) suggestions.replace++;
    else suggestions[[...kinds][0]!]++;
  }
  return { doc: result, suggestions, unconvertible, ranges };
}

/**
 * Yjs anchors for the comment ranges, in the document just built from the JSON (`ydoc`): y-prosemirror stores
 * each run of consecutive text nodes as one Y.XmlText, in document order, so a text node's place in its run gives
 * the Y.XmlText and the index. The anchors are normalised and quoted exactly as for a comment made in the browser
 * (server/comments/anchors.ts). A range with no text (a comment on a point) covers its paragraph's text run.
 */
export function anchorComments(
  ydoc: Y.Doc,
  doc: PMNode,
  ranges: MarkedDocument['ranges'],
): Map<number, { anchorStart: Uint8Array; anchorEnd: Uint8Array; quote: string }> {
  const place = new Map<PMNode, { run: number; offset: number }>();
  const runs: string[] = [];
  const walk = (node: PMNode) => {
    let inRun = false;
    for (const child of node.content ?? []) {
      if (child.type === 'text') {
        if (!inRun) runs.push('');
        inRun = true;
        place.set(child, { run: runs.length - 1, offset: runs[runs.length - 1]!.length });
        runs[runs.length - 1] += child.text ?? '';
      } else {
        inRun = false;
        walk(child);
      }
    }
  };
  walk(doc);

  const texts: Y.XmlText[] = [];
  const collect = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) texts.push(child);
      else if (child instanceof Y.XmlElement) collect(child);
    }
  };
  collect(ydoc.getXmlFragment(contentFragmentName));
  const anchors = new Map<number, { anchorStart: Uint8Array; anchorEnd: Uint8Array; quote: string }>();
  // The two walks must agree; if they ever do not, no anchor is guessed (the comments are reported as dropped).
  if (texts.length !== runs.length || texts.some((t, i) => t.length !== runs[i]!.length)) return anchors;

  const index = textIndexOf(ydoc);
  for (const [n, range] of ranges) {
    const s = range.start && place.get(range.start.node);
    const e = range.end && place.get(range.end.node);
    if (!s) continue;
    let start = { run: s.run, index: s.offset + range.start!.offset };
    let end = e ? { run: e.run, index: e.offset + range.end!.offset } : start;
    if (end.run < start.run || (end.run === start.run && end.index <= start.index)) {
      start = { run: s.run, index: 0 };
      end = { run: s.run, index: runs[s.run]!.length };
    }
    try {
      anchors.set(
        n,
        normaliseAnchor(
          ydoc,
          Y.createRelativePositionFromTypeIndex(texts[start.run]!, start.index, 0),
          Y.createRelativePositionFromTypeIndex(texts[end.run]!, end.index, -1),
          index,
        ),
      );
    } catch {
      // No text in the range (only spaces): the comment is reported as not anchored.
    }
  }
  return anchors;
}
