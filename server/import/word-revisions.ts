import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { corrupt, type ZipEntry } from './zip';

/**
 * Tracked changes and comments of an uploaded .docx, which mammoth drops (it shows insertions as plain text and
 * leaves deletions and comment ranges out). Run in the import's worker thread (server/import/parse.ts), before
 * mammoth: word/document.xml is rewritten so that mammoth keeps what it would lose —
 * - a tracked insertion (w:ins, w:moveTo) and deletion (w:del, w:moveFrom; its w:delText becomes w:t) are unwrapped
 *   into ordinary runs between two marker runs;
 * - a comment's range (w:commentRangeStart / w:commentRangeEnd) becomes a marker run where it was.
 * A marker is a run of text `\uE000<nonce><kind><n>\uE001`, with a nonce drawn per import, so no text of the file can
 * pass for one. server/import/word-markers.ts takes the markers out of mammoth's result again and turns what they
 * delimit into suggestion marks and comment anchors. word/comments.xml (and commentsExtended.xml, which links
 * replies to their comment and marks a thread as resolved) are read here too.
 *
 * What Stukwerk cannot hold is counted, for the import's warnings: formatting changes (the new formatting is
 * kept), changes to paragraph marks and table structure (kept as the file shows them), and text that was both
 * inserted and deleted as a suggestion (left out: neither the accepted nor the suggested text contains it).
 */
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const W14 = 'http://schemas.microsoft.com/office/word/2010/wordml';
const W15 = 'http://schemas.microsoft.com/office/word/2012/wordml';
const XML = 'http://www.w3.org/XML/1998/namespace';

/** At most this many tracked changes and comments are converted; a file with more is refused (it is not a voorstel). */
export const annotationLimits = { maxRevisions: 20_000, maxComments: 5_000, maxCommentChars: 10_000 } as const;
/** A Word author is a name; anything longer is cut (it is echoed in warnings and comment texts). */
const maxAuthorChars = 200;

export interface WordRevision {
  kind: 'insert' | 'delete';
  author: string;
  /** ISO 8601, or '' when the file gives none. */
  date: string;
}

export interface WordComment {
  author: string;
  date: string;
  text: string;
  /** Index (into the comments) of the comment this one replies to, from commentsExtended.xml. */
  parent?: number;
  resolved: boolean;
}

export interface WordAnnotationCounts {
  /** w:rPrChange, w:pPrChange and the like: the new formatting is kept. */
  formattingChanges: number;
  /** Inserted/deleted paragraph marks, table rows and cells: kept as the file shows them. */
  structuralChanges: number;
  /** Text inside both an insertion and a deletion: left out. */
  nestedChanges: number;
}

export interface PreparedWord {
  /** The rewritten word/document.xml, or undefined when the file has no tracked changes and no comments. */
  documentXml?: Buffer;
  nonce: string;
  revisions: WordRevision[];
  comments: WordComment[];
  counts: WordAnnotationCounts;
}

export const markerPattern = (nonce: string) => new RegExp(`\uE000${nonce}(/?)([IDC])(\\d+)\uE001`, 'g');

const runChangeNames = new Set(['ins', 'del', 'moveTo', 'moveFrom']);
const deletion = (el: Element) => el.localName === 'del' || el.localName === 'moveFrom';
const formattingChangeNames = [
  'rPrChange',
  'pPrChange',
  'sectPrChange',
  'tblPrChange',
  'tblPrExChange',
  'trPrChange',
  'tcPrChange',
  'tblGridChange',
  'numberingChange',
];
const structuralChangeNames = ['cellIns', 'cellDel', 'cellMerge'];

function parseXml(data: Buffer, part: string): Document {
  const text = data.toString('utf8');
  // Word never writes a DTD; one in an uploaded part can only be an attempt at entity tricks.
  if (/<!DOCTYPE/i.test(text)) throw corrupt(`${part}: DOCTYPE`);
  let failed = '';
  const doc = new DOMParser({
    errorHandler: {
      warning: () => {},
      error: (msg: string) => (failed ||= msg),
      fatalError: (msg: string) => (failed ||= msg),
    },
  }).parseFromString(text, 'text/xml');
  if (failed || !doc.documentElement) throw corrupt(`${part}: ${failed.slice(0, 80) || 'empty'}`);
  return doc;
}

const elements = (root: Document | Element, name: string): Element[] =>
  Array.from(root.getElementsByTagNameNS(W, name) as unknown as ArrayLike<Element>);

const attr = (el: Element, name: string) => el.getAttributeNS(W, name) ?? el.getAttribute(`w:${name}`) ?? '';

/** A change element that wraps runs (not one inside a property element, which marks a paragraph mark or a row). */
const wrapsRuns = (el: Element) => !/Pr$/.test((el.parentNode as Element | null)?.localName ?? '');

function changeAncestor(el: Element): Element | undefined {
  for (let p = el.parentNode as Element | null; p && p.nodeType === 1; p = p.parentNode as Element | null) {
    if (p.namespaceURI === W && runChangeNames.has(p.localName) && wrapsRuns(p)) return p;
  }
  return undefined;
}

const insideParagraph = (el: Element) => {
  for (let p = el.parentNode as Element | null; p && p.nodeType === 1; p = p.parentNode as Element | null)
    if (p.namespaceURI === W && p.localName === 'p') return true;
  return false;
};

function unwrap(el: Element) {
  const parent = el.parentNode!;
  while (el.firstChild) parent.insertBefore(el.firstChild, el);
  parent.removeChild(el);
}

/** Replaces an element by one of another name in the w namespace, keeping its attributes and children. */
function rename(el: Element, localName: string) {
  const doc = el.ownerDocument;
  const next = doc.createElementNS(W, `${el.prefix ? `${el.prefix}:` : ''}${localName}`);
  for (const a of Array.from(el.attributes as unknown as ArrayLike<Attr>))
    next.setAttributeNS(a.namespaceURI, a.name, a.value);
  while (el.firstChild) next.appendChild(el.firstChild);
  el.parentNode!.replaceChild(next, el);
}

function commentsOf(entries: Map<string, ZipEntry>): WordComment[] {
  const part = entries.get('word/comments.xml');
  if (!part) return [];
  const doc = parseXml(part.data, 'word/comments.xml');
  const list = elements(doc, 'comment');
  if (list.length > annotationLimits.maxComments) throw corrupt('too many comments');
  const byParaId = new Map<string, number>();
  const comments = list.map((c, i) => {
    const paragraphs = elements(c, 'p');
    const last = paragraphs.at(-1);
    const paraId = last?.getAttributeNS(W14, 'paraId') ?? last?.getAttribute('w14:paraId');
    if (paraId) byParaId.set(paraId, i);
    const text = paragraphs
      .map((p) =>
        elements(p, 't')
          .map((t) => t.textContent ?? '')
          .join(''),
      )
      .join('\n')
      .trim()
      .slice(0, annotationLimits.maxCommentChars);
    return {
      id: attr(c, 'id'),
      author: attr(c, 'author').trim().slice(0, maxAuthorChars),
      date: attr(c, 'date'),
      text,
      resolved: false,
    };
  });
  const extended = entries.get('word/commentsExtended.xml');
  const parents = new Map<number, number>();
  if (extended) {
    const ex = parseXml(extended.data, 'word/commentsExtended.xml');
    for (const e of Array.from(ex.getElementsByTagNameNS(W15, 'commentEx') as unknown as ArrayLike<Element>)) {
      const self = byParaId.get(e.getAttributeNS(W15, 'paraId') ?? '');
      if (self === undefined) continue;
      const parent = byParaId.get(e.getAttributeNS(W15, 'paraIdParent') ?? '');
      if (parent !== undefined && parent !== self) parents.set(self, parent);
      if (e.getAttributeNS(W15, 'done') === '1') comments[self]!.resolved = true;
    }
  }
  return comments.map((c, i) => ({
    author: c.author,
    date: c.date,
    text: c.text,
    resolved: c.resolved,
    ...(parents.has(i) ? { parent: parents.get(i)! } : {}),
    wordId: c.id,
  }));
}

export function prepareWord(entries: Map<string, ZipEntry>, nonce: string): PreparedWord {
  const counts: WordAnnotationCounts = { formattingChanges: 0, structuralChanges: 0, nestedChanges: 0 };
  const main = entries.get('word/document.xml');
  const comments = commentsOf(entries) as (WordComment & { wordId: string })[];
  const plain = comments.map(({ wordId: _, ...c }) => c);
  if (!main) return { nonce, revisions: [], comments: plain, counts };
  // Most imported files have neither tracked changes nor comments: mammoth then reads the file as it is.
  const source = main.data.toString('utf8');
  if (!/<[\w]*:?(ins|del|moveTo|moveFrom|commentRangeStart)\b/.test(source) && !/Change\b/.test(source))
    return { nonce, revisions: [], comments: plain, counts };

  const doc = parseXml(main.data, 'word/document.xml');
  const prefix = doc.documentElement.prefix ? `${doc.documentElement.prefix}:` : 'w:';
  const markerRun = (code: string) => {
    const r = doc.createElementNS(W, `${prefix}r`);
    const t = doc.createElementNS(W, `${prefix}t`);
    t.setAttributeNS(XML, 'xml:space', 'preserve');
    t.appendChild(doc.createTextNode(`\uE000${nonce}${code}\uE001`));
    r.appendChild(t);
    return r;
  };

  for (const name of formattingChangeNames) {
    for (const el of elements(doc, name)) {
      counts.formattingChanges++;
      el.parentNode?.removeChild(el);
    }
  }
  for (const name of structuralChangeNames) counts.structuralChanges += elements(doc, name).length;

  // Tracked changes. First the ones inside another (decided before anything moves): inside one of the other kind
  // the text was suggested and suggested away again, so neither view of the text has it; inside one of the same
  // kind it simply belongs to the outer one. Then the outermost ones, in document order.
  const revisions: WordRevision[] = [];
  const changes = [...runChangeNames].flatMap((n) => elements(doc, n));
  const order = new Map(elements(doc, '*').map((el, i) => [el, i]));
  changes.sort((a, b) => order.get(a)! - order.get(b)!);
  const inner = changes.map((el) => (wrapsRuns(el) ? changeAncestor(el) : undefined));
  const attached = (el: Node) => {
    let p: Node = el;
    while (p.parentNode) p = p.parentNode;
    return p === doc;
  };
  changes.forEach((el, i) => {
    const outer = inner[i];
    if (!outer || !attached(el)) return;
    if (deletion(outer) !== deletion(el)) {
      counts.nestedChanges++;
      el.parentNode!.removeChild(el);
    } else unwrap(el);
  });
  for (const [i, el] of changes.entries()) {
    if (inner[i] || !el.parentNode || !attached(el)) continue;
    if (!wrapsRuns(el)) {
      counts.structuralChanges++;
      el.parentNode.removeChild(el);
      continue;
    }
    if (revisions.length >= annotationLimits.maxRevisions) throw corrupt('too many tracked changes');
    const n = revisions.length;
    const kind = deletion(el) ? 'delete' : 'insert';
    revisions.push({ kind, author: attr(el, 'author').trim().slice(0, maxAuthorChars), date: attr(el, 'date') });
    if (kind === 'delete') {
      for (const t of elements(el, 'delText')) rename(t, 't');
      for (const t of elements(el, 'delInstrText')) rename(t, 'instrText');
    }
    const code = kind === 'delete' ? 'D' : 'I';
    el.parentNode.insertBefore(markerRun(`${code}${n}`), el);
    el.parentNode.insertBefore(markerRun(`/${code}${n}`), el.nextSibling);
    unwrap(el);
  }

  // Comment ranges: a marker where the range starts and ends; one between paragraphs goes into the next paragraph
  // (a start) or the previous one (an end).
  const index = new Map(comments.map((c, i) => [c.wordId, i]));
  const paragraphs = elements(doc, 'p');
  const position = new Map(elements(doc, '*').map((el, i) => [el, i]));
  for (const [name, code] of [
    ['commentRangeStart', 'C'],
    ['commentRangeEnd', '/C'],
  ] as const) {
    for (const el of elements(doc, name)) {
      const i = index.get(attr(el, 'id'));
      if (i === undefined) continue;
      const marker = markerRun(`${code}${i}`);
      if (insideParagraph(el)) el.parentNode!.replaceChild(marker, el);
      else {
        const at = position.get(el)!;
        const p =
          code === 'C'
            ? paragraphs.find((q) => position.get(q)! > at)
            : paragraphs.findLast((q) => position.get(q)! < at);
        if (p) {
          if (code === 'C') {
            const props = elements(p, 'pPr')[0];
            p.insertBefore(marker, props && props.parentNode === p ? props.nextSibling : p.firstChild);
          } else p.appendChild(marker);
        }
        el.parentNode!.removeChild(el);
      }
    }
  }

  const xml = new XMLSerializer().serializeToString(doc);
  return {
    documentXml: Buffer.from(xml, 'utf8'),
    nonce,
    revisions,
    comments: plain,
    counts,
  };
}
