import { randomBytes } from 'node:crypto';
import mammoth from 'mammoth';
import * as Y from 'yjs';
import { plainText, yDocFromJSON, type PMNode } from '../content/prosemirror';
import { AppError } from '../errors';
import { stukwerkStyles } from '../export/docx';
import { parseHtml } from './html';
import { toProseMirror, type ConversionReport } from './prosemirror';
import { applyMarkers, anchorComments, type SuggestionCounts } from './word-markers';
import { prepareWord, type WordAnnotationCounts } from './word-revisions';
import { corrupt, notDocx, readZip, writeZip, type ZipEntry } from './zip';

/**
 * The CPU-heavy half of a .docx import, run in a worker thread (server/workers/tasks.ts): the strict ZIP read,
 * mammoth's conversion to HTML (no external file access, images never read), the strict HTML reader, the schema
 * check, and the Yjs state and plain text the new document is stored with. Its result is plain data; the main
 * thread (server/import/docx.ts) writes it to the database.
 */
const wordMainTypes = [
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml',
  'application/vnd.ms-word.document.macroEnabled.main+xml',
  'application/vnd.ms-word.template.macroEnabledTemplate.main+xml',
];

/** Round trip: the frame of a Stukwerk export goes back where it came from; its sign-off lines do not (a new draft is not signed). */
const styleMap = [
  `p[style-name='${stukwerkStyles.title}'] => !`,
  `p[style-name='${stukwerkStyles.signature}'] => !`,
  `p[style-name='${stukwerkStyles.closing}'] => div.closing > p:fresh`,
];

export interface Inspection {
  remoteImages: number;
  scripts: string[];
}

/** What the container holds besides text: macros, ActiveX, embedded HTML with scripts, images linked from elsewhere. */
function inspect(entries: Map<string, ZipEntry>): Inspection {
  const contentTypes = entries.get('[Content_Types].xml')?.data.toString('utf8');
  if (!contentTypes || !wordMainTypes.some((t) => contentTypes.includes(`"${t}"`))) throw notDocx();
  if (!entries.has('_rels/.rels')) throw corrupt('no package relationships');
  const scripts = new Set<string>();
  let remoteImages = 0;
  for (const entry of entries.values()) {
    const name = entry.name.toLowerCase();
    if (name.endsWith('vbaproject.bin') || name.endsWith('vbadata.xml')) scripts.add('macro’s (VBA)');
    if (name.includes('/activex/')) scripts.add('ActiveX');
    if (/\/afchunk[^/]*$/.test(name) || /\.html?$/.test(name)) {
      if (/<script\b|\son[a-z]+\s*=|javascript:/i.test(entry.data.toString('utf8')))
        scripts.add('scripts in ingesloten HTML');
    }
    if (name.endsWith('.rels')) {
      for (const rel of entry.data.toString('utf8').matchAll(/<Relationship\b[^>]*>/g)) {
        if (/Type="[^"]*\/image"/.test(rel[0]) && /TargetMode="External"/.test(rel[0])) remoteImages++;
      }
    }
  }
  if (contentTypes.includes('macroEnabled')) scripts.add('macro’s (VBA)');
  return { remoteImages, scripts: [...scripts] };
}

export interface ParsedDocx {
  doc: PMNode;
  /** Yjs state and plain text of `doc`, as createDocument would compute them. */
  state: Uint8Array;
  text: string;
  report: ConversionReport;
  inspection: Inspection;
  /** Images mammoth met (embedded or linked); none was read. */
  images: number;
  /** The HTML reader removed script elements. */
  removedScripts: boolean;
  /** What became of the file's tracked changes and comments (server/import/word-revisions.ts). */
  word: WordImport;
}

/** A person tracked changes and comments may be attributed to, matched by name or e-mail address. */
export interface ImportPerson {
  id: string;
  name: string;
  email: string;
}

export interface ImportedThread {
  anchorStart: Uint8Array;
  anchorEnd: Uint8Array;
  quote: string;
  resolved: boolean;
  /** The first comment, then the replies in the file's order. */
  comments: { authorId: string; author: string; matched: boolean; date: string; body: string }[];
}

export interface WordImport {
  suggestions: SuggestionCounts;
  threads: ImportedThread[];
  /** Comments that could not be anchored (no range, or a range without text): left out. */
  unanchoredComments: number;
  /** Tracked changes where Stukwerk has no suggestions (a code block): taken as plain text. */
  unconvertible: number;
  counts: WordAnnotationCounts;
  /** Authors of tracked changes or comments matched to nobody (attributed to the importing person), with how often. */
  unmatchedAuthors: { name: string; changes: number; comments: number }[];
}

/** Author names (or e-mail addresses) → person; a name that two people share matches nobody. */
function authorMatcher(people: ImportPerson[]) {
  const byKey = new Map<string, string | null>();
  const add = (key: string, id: string) => {
    const k = key.trim().toLowerCase();
    if (!k) return;
    byKey.set(k, byKey.has(k) && byKey.get(k) !== id ? null : id);
  };
  for (const p of people) {
    add(p.name, p.id);
    add(p.email, p.id);
  }
  return (author: string): string | undefined => {
    const direct = byKey.get(author.trim().toLowerCase());
    if (direct) return direct;
    const email = /[^\s<>()"]+@[^\s<>()"]+/.exec(author)?.[0];
    return (email && byKey.get(email.toLowerCase())) || undefined;
  };
}

export async function parseDocx(input: {
  bytes: Uint8Array;
  /** Who the file's tracked changes and comments may be attributed to, and who gets the rest. */
  authors?: { people: ImportPerson[]; importerId: string };
}): Promise<ParsedDocx> {
  // Bytes arrive from another thread as a plain Uint8Array; the ZIP reader and mammoth want a Buffer (no copy).
  const original = Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength);
  const entries = readZip(original);
  const inspection = inspect(entries);
  const word = prepareWord(entries, randomBytes(6).toString('hex'));
  // mammoth reads the rewritten main part (tracked changes unwrapped between markers), in a container of its own.
  const bytes = word.documentXml
    ? writeZip(
        [...entries.values()].map((e) => (e.name === 'word/document.xml' ? { ...e, data: word.documentXml! } : e)),
      )
    : original;

  let images = 0;
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: bytes },
      {
        styleMap,
        externalFileAccess: false,
        // Images are counted and never read: Stukwerk documents hold no images, and a linked one may point anywhere.
        convertImage: mammoth.images.imgElement(async () => {
          images++;
          return { src: '' };
        }),
      },
    );
    html = result.value;
  } catch (cause) {
    throw corrupt('unreadable document', cause);
  }

  const tree = parseHtml(html);
  const converted = toProseMirror(tree.root);
  const report = converted.report;

  const match = authorMatcher(input.authors?.people ?? []);
  const unmatched = new Map<string, { name: string; changes: number; comments: number }>();
  const authorOf = (name: string, what: 'changes' | 'comments') => {
    const id = match(name);
    if (id) return id;
    const key = name || '(onbekend)';
    const entry = unmatched.get(key) ?? unmatched.set(key, { name: key, changes: 0, comments: 0 }).get(key)!;
    entry[what]++;
    return input.authors?.importerId ?? '';
  };
  const importedAt = new Date().toISOString();
  const marked = applyMarkers(converted.doc, word, (name) => authorOf(name, 'changes'), importedAt);
  const doc = marked.doc;

  let ydoc: Y.Doc;
  try {
    ydoc = yDocFromJSON(doc); // checks the content against the schema first
  } catch (cause) {
    throw new AppError('invalid:unsupported_content', 'The content cannot be imported.', { cause });
  }
  let state: Uint8Array;
  const threads: ImportedThread[] = [];
  let unanchoredComments = 0;
  try {
    const anchors = anchorComments(ydoc, doc, marked.ranges);
    // A reply belongs to the thread of the comment it answers (followed up to the first comment of the thread).
    const rootOf = (i: number) => {
      let r = i;
      for (let hops = 0; word.comments[r]?.parent !== undefined && hops < word.comments.length; hops++)
        r = word.comments[r]!.parent!;
      return r;
    };
    const byRoot = new Map<number, number[]>();
    word.comments.forEach((_, i) => {
      const root = rootOf(i);
      byRoot.set(root, [...(byRoot.get(root) ?? []), i]);
    });
    for (const [root, members] of byRoot) {
      // The first comment's range, else a reply's (Word gives replies the range of the comment they answer).
      const anchor = [root, ...members].map((i) => anchors.get(i)).find(Boolean);
      if (!anchor) {
        unanchoredComments += members.length;
        continue;
      }
      threads.push({
        ...anchor,
        resolved: word.comments[root]!.resolved,
        comments: [root, ...members.filter((i) => i !== root)]
          .map((i) => word.comments[i]!)
          .filter((c) => c.text)
          .map((c) => {
            const id = match(c.author);
            const authorId = id ?? authorOf(c.author, 'comments');
            const date = c.date && !Number.isNaN(Date.parse(c.date)) ? new Date(c.date).toISOString() : importedAt;
            return { authorId, author: c.author, matched: !!id, date, body: c.text };
          }),
      });
    }
    state = Y.encodeStateAsUpdate(ydoc);
  } finally {
    ydoc.destroy();
  }
  return {
    doc,
    state,
    text: plainText(doc),
    report,
    inspection,
    images,
    removedScripts: !!tree.removedScripts,
    word: {
      suggestions: marked.suggestions,
      threads: threads.filter((t) => t.comments.length),
      unanchoredComments,
      unconvertible: marked.unconvertible,
      counts: word.counts,
      unmatchedAuthors: [...unmatched.values()],
    },
  };
}
