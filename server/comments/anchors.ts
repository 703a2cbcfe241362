import { contentFragmentName } from '../../common/schema/extensions';
import * as Y from 'yjs';
import { AppError } from '../errors';

/**
 * Anchors are Yjs relative positions into the `default` XmlFragment. They are resolved here against the live
 * document into offsets of a flat text index (every XmlText in document order, one '\n' between two of them), so
 * the server can check an anchor, read the passage it covers, sort threads in document order and tell whether the
 * passage still exists, without ProseMirror.
 *
 * The start sticks to the passage's first character (assoc 0) and the end to its last one (assoc -1): text typed
 * just before or just after the passage stays outside it, text typed inside it stays inside. When every character
 * of the passage is deleted both ends resolve to the same point: the thread is detached.
 */
export const maxQuoteChars = 2_000;

export interface AnchorState {
  /** Offset of the start in the flat text index (where the passage is, or was). */
  position: number;
  /** The passage no longer exists (deleted, or its paragraph was). */
  detached: boolean;
  /** The text the anchor covers now ('' when detached). */
  text: string;
}

export const invalidAnchor = (why: string) => new AppError('invalid:anchor', `Invalid anchor: ${why}.`);

/**
 * Bytes that decode may still name no position at all (base64 "null" decodes to one with neither item, type nor
 * type name), and Yjs throws on resolving such a position: those are refused here as undecodable.
 */
function readRelativePosition(bytes: Uint8Array): Y.RelativePosition | undefined {
  let rpos: Y.RelativePosition;
  try {
    rpos = Y.decodeRelativePosition(bytes);
  } catch {
    return undefined;
  }
  return rpos.item || rpos.type || rpos.tname ? rpos : undefined;
}

export function decodeAnchor(base64: string): Y.RelativePosition {
  const rpos = readRelativePosition(Buffer.from(base64, 'base64'));
  if (!rpos) throw new AppError('invalid:anchor', 'Anchor cannot be decoded.');
  return rpos;
}

export const encodeAnchor = (rpos: Y.RelativePosition) => Y.encodeRelativePosition(rpos);
export const anchorToBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

interface TextIndex {
  offsets: Map<Y.XmlText, number>;
  text: string;
}

function buildIndex(fragment: Y.XmlFragment): TextIndex {
  const offsets = new Map<Y.XmlText, number>();
  let text = '';
  let first = true;
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) {
        if (!first) text += '\n';
        first = false;
        offsets.set(child, text.length);
        // Embeds count one position in Yjs; a space keeps offsets and characters aligned.
        text += child
          .toDelta()
          .map((d: { insert: unknown }) => (typeof d.insert === 'string' ? d.insert : ' '))
          .join('');
      } else if (child instanceof Y.XmlElement) walk(child);
    }
  };
  walk(fragment);
  return { offsets, text };
}

/** The flat text index of a document, to pass to several calls of `normaliseAnchor` or `resolveAnchor`. */
export const textIndexOf = (doc: Y.Doc) => buildIndex(doc.getXmlFragment(contentFragmentName));

/** A Yjs position (type, index) as long as it lies in live (not deleted) text of `fragment`. */
function liveTextPosition(doc: Y.Doc, fragment: Y.XmlFragment, rpos: Y.RelativePosition) {
  const abs = Y.createAbsolutePositionFromRelativePosition(rpos, doc);
  if (!abs || !(abs.type instanceof Y.XmlText)) return undefined;
  for (let t: Y.AbstractType<any> = abs.type; t !== fragment;) {
    const item = t._item;
    if (!item || item.deleted || !(item.parent instanceof Y.AbstractType)) return undefined;
    t = item.parent;
  }
  return { type: abs.type, index: abs.index };
}

/**
 * Checks an anchor a client proposes and re-encodes it with the associations described above, whatever the client
 * sent; returns the anchor and the quoted passage as the server's document has it.
 */
export function normaliseAnchor(
  doc: Y.Doc,
  start: Y.RelativePosition,
  end: Y.RelativePosition,
  /** An index built once with `textIndexOf`, when normalising many anchors of one unchanged document. */
  index?: TextIndex,
) {
  const fragment = doc.getXmlFragment(contentFragmentName);
  const s = liveTextPosition(doc, fragment, start);
  const e = liveTextPosition(doc, fragment, end);
  if (!s || !e) throw invalidAnchor('the position is not in this document’s text');
  const anchorStart = Y.createRelativePositionFromTypeIndex(s.type, s.index, 0);
  const anchorEnd = Y.createRelativePositionFromTypeIndex(e.type, e.index, -1);
  const state = resolveAnchor(doc, encodeAnchor(anchorStart), encodeAnchor(anchorEnd), index);
  if (state.detached || !state.text.trim()) throw invalidAnchor('no text selected');
  const quote = state.text.length > maxQuoteChars ? `${state.text.slice(0, maxQuoteChars - 1)}…` : state.text;
  return { anchorStart: encodeAnchor(anchorStart), anchorEnd: encodeAnchor(anchorEnd), quote };
}

/** Where a stored anchor is now. An index built once can be passed in when resolving many anchors. */
export function resolveAnchor(
  doc: Y.Doc,
  startBytes: Uint8Array,
  endBytes: Uint8Array,
  index?: TextIndex,
): AnchorState {
  const fragment = doc.getXmlFragment(contentFragmentName);
  const idx = index ?? buildIndex(fragment);
  const at = (bytes: Uint8Array) => {
    const rpos = readRelativePosition(bytes);
    const p = rpos && liveTextPosition(doc, fragment, rpos);
    const base = p && idx.offsets.get(p.type);
    return p && base !== undefined ? base + p.index : undefined;
  };
  const start = at(startBytes);
  const end = at(endBytes);
  if (start === undefined || end === undefined || end <= start) {
    return { position: start ?? end ?? Number.MAX_SAFE_INTEGER, detached: true, text: '' };
  }
  return { position: start, detached: false, text: idx.text.slice(start, end) };
}

/**
 * The text an anchor covers now as pieces of XmlTexts (a passage over several paragraphs has one per paragraph),
 * or undefined when it is detached. For marking passages in a copy of the document (server/export/render.ts).
 */
export function anchorSegmenter(doc: Y.Doc) {
  const fragment = doc.getXmlFragment(contentFragmentName);
  const texts = [...buildIndex(fragment).offsets.keys()]; // document order
  const order = new Map(texts.map((t, i) => [t, i]));
  const at = (bytes: Uint8Array) => {
    const rpos = readRelativePosition(bytes);
    const p = rpos && liveTextPosition(doc, fragment, rpos);
    const i = p && order.get(p.type);
    return p && i !== undefined ? { i, index: p.index } : undefined;
  };
  return (startBytes: Uint8Array, endBytes: Uint8Array) => {
    const s = at(startBytes);
    const e = at(endBytes);
    if (!s || !e || e.i < s.i || (e.i === s.i && e.index <= s.index)) return undefined;
    const segments: { text: Y.XmlText; from: number; to: number }[] = [];
    for (let k = s.i; k <= e.i; k++) {
      const text = texts[k]!;
      const from = k === s.i ? s.index : 0;
      const to = k === e.i ? e.index : text.length;
      if (to > from) segments.push({ text, from, to });
    }
    return segments.length ? segments : undefined;
  };
}

export function anchorResolver(doc: Y.Doc) {
  const index = buildIndex(doc.getXmlFragment(contentFragmentName));
  return (start: Uint8Array, end: Uint8Array) => resolveAnchor(doc, start, end, index);
}
