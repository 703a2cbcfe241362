import { intlLocale, timeZone, translator, type Locale } from '../../common/i18n';
import { isAllowedHref } from '../../common/schema/extensions';
import { metadataFields } from '../../common/schema/metadata';
import { inAcceptedView, suggestionOfMarks, type SuggestionMark } from '../../common/suggestions';
import type { PMNode } from '../content/prosemirror';

/**
 * The render model every export format draws from: one walk over the stored ProseMirror JSON (the schema of
 * common/schema/extensions.ts) into a few plain shapes, so PDF, DOCX, HTML and Markdown agree on what the
 * document says and none of them repeats the traversal. Unknown node types keep their text as paragraphs, so a
 * schema addition never silently drops content from an export.
 */
export interface Span {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
  code?: boolean;
  /** Only http(s)/mailto survive (the same rule as the editor). */
  href?: string;
  /** An open suggestion this text belongs to: only in a model built with `suggestions: 'tracked'`. */
  suggestion?: SuggestionMark;
  /** Indexes (into the render request's threads) of the comment threads whose passage covers this text. */
  comments?: number[];
}
/** A line of inline content; `lineBreak` spans stand for hard breaks. */
export type Inline = Span | { lineBreak: true };

export interface TableCell {
  header: boolean;
  colspan: number;
  rowspan: number;
  blocks: Block[];
}

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; inlines: Inline[] }
  | { kind: 'paragraph'; inlines: Inline[] }
  | { kind: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { kind: 'table'; rows: TableCell[][] }
  | { kind: 'quote'; blocks: Block[] }
  | { kind: 'code'; text: string }
  | { kind: 'rule' };

export interface Signature {
  /** "Aldus vastgesteld in de vergadering van het algemeen bestuur d.d. …" */
  statement: string;
  signedBy: string;
  signedAt: Date;
  sha256: string;
  versionId: string;
  /** The language of the lines around the document's own text (who signed, the hash): the exporting person's. */
  locale: Locale;
}

/** An attachment as the exports list it (under Bijlage(n)): name, size in bytes, SHA-256. */
export interface AttachmentLine {
  name: string;
  size: number;
  sha256: string;
}

export interface RenderModel {
  title: string;
  /** The first lines of the page; a voorstel's are "VOORSTEL" / "Algemeen Bestuur" (a meeting's agenda has its own). */
  heading?: { title: string; subtitle: string };
  /**
   * Every header field in the fixed order (empty values included); none when the document has no header (a blank
   * document). `value` is the accepted text; `inlines` the same field as spans (with suggestions when tracked).
   */
  metadata: { key: string; label: string; value: string; inlines: Inline[] }[];
  body: Block[];
  closing: Block[];
  signature?: Signature;
  /** After everything else: the municipalities' responses to the consultation round (`&responses=1`). */
  appendix?: Block[];
}

export const isLineBreak = (i: Inline): i is { lineBreak: true } => 'lineBreak' in i;

/** Plain text of a line of inlines (hard breaks as newlines). */
export const inlineText = (inlines: Inline[]) => inlines.map((i) => (isLineBreak(i) ? '\n' : i.text)).join('');

/** Plain text of blocks, one line per paragraph, for places that cannot hold structure (table cells in Markdown). */
export function blocksText(blocks: Block[]): string {
  return blocks
    .map((b) => {
      switch (b.kind) {
        case 'heading':
        case 'paragraph':
          return inlineText(b.inlines);
        case 'list':
          return b.items.map((item) => blocksText(item)).join('\n');
        case 'quote':
          return blocksText(b.blocks);
        case 'table':
          return b.rows.map((r) => r.map((c) => blocksText(c.blocks)).join('\t')).join('\n');
        case 'code':
          return b.text;
        case 'rule':
          return '';
      }
    })
    .join('\n');
}

/**
 * How suggestions appear in a model: `accepted` (every export by default) is the accepted view, suggested
 * insertions left out and suggested deletions kept as plain text; `tracked` keeps both, marked, for a Word file
 * with tracked changes.
 */
export type SuggestionsMode = 'accepted' | 'tracked';

/**
 * Marks the export worker puts on commented passages (server/export/render.ts) before the walk: the mark's type is
 * this prefix followed by the thread's index. They exist only in that worker's throwaway copy of the document.
 */
export const commentMarkPrefix = 'stukwerkExportComment:';

function inlinesOf(nodes: PMNode[] | undefined, mode: SuggestionsMode): Inline[] {
  const out: Inline[] = [];
  for (const node of nodes ?? []) {
    if (node.type === 'hardBreak') out.push({ lineBreak: true });
    else if (node.type === 'text' && node.text) {
      if (mode === 'accepted' && !inAcceptedView(node.marks)) continue;
      const span: Span = { text: node.text };
      const suggestion = mode === 'tracked' ? suggestionOfMarks(node.marks) : undefined;
      if (suggestion) span.suggestion = suggestion;
      for (const mark of node.marks ?? []) {
        if (mark.type.startsWith(commentMarkPrefix)) {
          (span.comments ??= []).push(Number(mark.type.slice(commentMarkPrefix.length)));
          continue;
        }
        if (mark.type === 'bold') span.bold = true;
        else if (mark.type === 'italic') span.italic = true;
        else if (mark.type === 'underline') span.underline = true;
        else if (mark.type === 'strike') span.strike = true;
        else if (mark.type === 'code') span.code = true;
        else if (mark.type === 'link' && typeof mark.attrs?.href === 'string' && isAllowedHref(mark.attrs.href))
          span.href = mark.attrs.href;
      }
      out.push(span);
    } else if (node.content) out.push(...inlinesOf(node.content, mode));
  }
  return out;
}

/** The accepted text of a node. */
const textOf = (node: PMNode): string =>
  node.type === 'text'
    ? inAcceptedView(node.marks)
      ? (node.text ?? '')
      : ''
    : (node.content ?? []).map(textOf).join('');

function blocksOf(nodes: PMNode[] | undefined, mode: SuggestionsMode): Block[] {
  const out: Block[] = [];
  for (const node of nodes ?? []) {
    switch (node.type) {
      case 'paragraph':
        out.push({ kind: 'paragraph', inlines: inlinesOf(node.content, mode) });
        break;
      case 'heading': {
        const level = Math.min(3, Math.max(1, Number(node.attrs?.level) || 2)) as 1 | 2 | 3;
        out.push({ kind: 'heading', level, inlines: inlinesOf(node.content, mode) });
        break;
      }
      case 'bulletList':
      case 'orderedList':
        out.push({
          kind: 'list',
          ordered: node.type === 'orderedList',
          start: Number(node.attrs?.start) || 1,
          items: (node.content ?? []).map((item) => blocksOf(item.content, mode)),
        });
        break;
      case 'table':
        out.push({
          kind: 'table',
          rows: (node.content ?? []).map((row) =>
            (row.content ?? []).map((cell) => ({
              header: cell.type === 'tableHeader',
              colspan: Number(cell.attrs?.colspan) || 1,
              rowspan: Number(cell.attrs?.rowspan) || 1,
              blocks: blocksOf(cell.content, mode),
            })),
          ),
        });
        break;
      case 'blockquote':
        out.push({ kind: 'quote', blocks: blocksOf(node.content, mode) });
        break;
      case 'codeBlock':
        out.push({ kind: 'code', text: textOf(node) });
        break;
      case 'horizontalRule':
        out.push({ kind: 'rule' });
        break;
      case 'metadata':
      case 'closingBlock':
        break; // taken out by buildRenderModel
      case 'closingSignOff':
        break; // no text of its own: the signature (RenderModel.signature) is rendered in its place
      default:
        // A node type this walk does not know yet: keep its text rather than lose it.
        if (textOf(node)) out.push({ kind: 'paragraph', inlines: [{ text: textOf(node) }] });
    }
  }
  return out;
}

/** Whether a block has something to show (empty placeholder paragraphs are left out of exports). */
const hasContent = (b: Block) => b.kind !== 'paragraph' || b.inlines.length > 0;

/** "1,2 MB", "340 kB", "87 bytes": Dutch notation, decimal units. */
export function formatSize(bytes: number): string {
  const nl = (n: number) => new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 1 }).format(n);
  if (bytes >= 1_000_000) return `${nl(bytes / 1_000_000)} MB`;
  if (bytes >= 1_000) return `${nl(bytes / 1_000)} kB`;
  return `${bytes} bytes`;
}

/**
 * The attachments as a list placed right under the "Bijlage(n)" heading (the voorstel template has one), or as an
 * appendix with that heading at the end of the body when the document has none. Every format renders body blocks,
 * so all four list the same: name, size and SHA-256 of each file.
 */
function withAttachments(body: Block[], attachments: readonly AttachmentLine[] | undefined): Block[] {
  if (!attachments?.length) return body;
  const list: Block = {
    kind: 'list',
    ordered: true,
    start: 1,
    items: attachments.map((a) => [
      { kind: 'paragraph', inlines: [{ text: `${a.name} (${formatSize(a.size)})` }] },
      { kind: 'paragraph', inlines: [{ text: 'SHA-256: ' }, { text: a.sha256, code: true }] },
    ]),
  };
  const at = body.findIndex((b) => b.kind === 'heading' && /^bijlagen?(\(n\))?$/i.test(inlineText(b.inlines).trim()));
  if (at < 0) return [...body, { kind: 'heading', level: 1, inlines: [{ text: 'Bijlage(n)' }] }, list];
  return [...body.slice(0, at + 1), list, ...body.slice(at + 1)];
}

export function buildRenderModel(
  doc: PMNode,
  options: {
    title: string;
    signature?: Signature;
    suggestions?: SuggestionsMode;
    attachments?: readonly AttachmentLine[];
  },
): RenderModel {
  const mode = options.suggestions ?? 'accepted';
  const top = doc.content ?? [];
  const meta = top.find((n) => n.type === 'metadata');
  const fields = new Map((meta?.content ?? []).map((f) => [String(f.attrs?.field), f]));
  return {
    title: options.title,
    metadata: meta
      ? metadataFields.map((f) => {
          const field = fields.get(f.key);
          return {
            key: f.key,
            label: f.label,
            value: field ? textOf(field) : '',
            inlines: field ? inlinesOf(field.content, mode) : [],
          };
        })
      : [],
    body: withAttachments(
      blocksOf(
        top.filter((n) => n.type !== 'metadata' && n.type !== 'closingBlock'),
        mode,
      ).filter(hasContent),
      options.attachments,
    ),
    closing: blocksOf(
      top.filter((n) => n.type === 'closingBlock').flatMap((n) => n.content ?? []),
      mode,
    ).filter(hasContent),
    signature: options.signature,
  };
}

/**
 * The signed-off statement, with the meeting date from the header when there is one: the words of the closing
 * block's sign-off part (the editor shows the same catalogue text), always in Dutch, the voorstel's language.
 * Every format writes it once, right after the closing block, where that part is.
 */
export function signedStatement(meetingDate: string, signedAt: Date): string {
  return translator('nl')('closing.adopted', { date: meetingDate.trim() || formatDate(signedAt) });
}

export const formatDate = (d: Date) =>
  new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeZone: 'Europe/Amsterdam' }).format(d);
export const formatDateTime = (d: Date, locale: Locale = 'nl') =>
  new Intl.DateTimeFormat(intlLocale[locale], { dateStyle: 'long', timeStyle: 'short', timeZone }).format(d);

/**
 * The lines of the signature block, the same in every format. The statement belongs to the (Dutch) voorstel
 * itself; who signed and the hash are the export's own words, in the exporting person's language.
 */
export function signatureLines(s: Signature): string[] {
  const t = translator(s.locale);
  return [
    s.statement,
    t('exportText.signedBy', { name: s.signedBy, date: formatDateTime(s.signedAt, s.locale) }),
    t('exportText.hash', { sha256: s.sha256 }),
  ];
}
