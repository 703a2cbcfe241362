import {
  AlignmentType,
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  DeletedTextRun,
  Document,
  ExternalHyperlink,
  Footer,
  HeadingLevel,
  InsertedTextRun,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ICommentOptions,
  type IRunOptions,
  type ParagraphChild,
} from 'docx';
import { isLineBreak, signatureLines, type Block, type Inline, type RenderModel, type Span } from './model';

/**
 * The voorstel as a Word document with the `docx` package: real Word headings (Heading1–3), real numbered and
 * bulleted lists (numbering definitions, restarted per list), real tables, A4, "-N-" page numbers in the footer.
 * The frame (title, closing block, sign-off) carries Stukwerk paragraph styles so that importing this file again
 * (server/import) puts every part back where it came from.
 */
export const stukwerkStyles = {
  title: 'Stukwerk Titel',
  closing: 'Stukwerk Slot',
  signature: 'Stukwerk Vaststelling',
} as const;
const styleId = (name: string) => name.replace(/\s+/g, '');

const headingLevel = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;
const listIndent = (level: number) => ({ left: 720 * (level + 1), hanging: 360 });

/**
 * Converts blocks; `level` is the list level the blocks sit in (continuation paragraphs are indented to it). Each
 * ordered list gets its own numbering instance, so numbering restarts at 1 per list as in the editor.
 */
/**
 * What a Word file with tracked changes needs besides the model (server/export/render.ts): the names of the people
 * whose suggestions are in it, and the comment threads (each becomes a Word comment with its replies; spans of the
 * model refer to them by index).
 */
export interface WordAnnotations {
  /** User id → name, written as the author of a tracked change. */
  people: Record<string, string>;
  /** The author of a tracked change by someone not in `people`. */
  unknownAuthor: string;
  threads: WordThread[];
}
export interface WordThread {
  resolved: boolean;
  /** Put before the first comment when the thread's passage no longer exists (it names the quoted passage). */
  detachedNote: string;
  /** The first comment, then the replies, oldest first. */
  comments: { author: string; date: Date; body: string }[];
}

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase())
    .join('')
    .slice(0, 4);

/** Word's own ids: a revision id per tracked change, and per thread the comment ids (first comment, replies). */
class Annotations {
  private revisions = 0;
  readonly commentIds: number[][];
  /** Spans still to come per thread: the range ends after the last one. */
  private remaining = new Map<number, number>();
  private started = new Set<number>();

  constructor(
    readonly source: WordAnnotations,
    model: RenderModel,
  ) {
    let next = 0;
    this.commentIds = source.threads.map((t) => t.comments.map(() => next++));
    // Revision ids after the comment ids: some readers expect one id space for all annotations.
    this.revisions = next;
    const count = (inlines: Inline[]) => {
      for (const i of inlines)
        if (!isLineBreak(i)) for (const c of i.comments ?? []) this.remaining.set(c, (this.remaining.get(c) ?? 0) + 1);
    };
    model.metadata.forEach((m) => count(m.inlines));
    forEachInlines([...model.body, ...model.closing], count);
  }

  /** Threads that no passage of the model carries (their passage was deleted): shown at the top of the document. */
  unanchored(): number[] {
    return this.source.threads.map((_, i) => i).filter((i) => !this.remaining.has(i));
  }

  before(span: Span): ParagraphChild[] {
    const out: ParagraphChild[] = [];
    for (const c of span.comments ?? []) {
      if (this.started.has(c) || !this.commentIds[c]) continue;
      this.started.add(c);
      for (const id of this.commentIds[c]) out.push(new CommentRangeStart(id));
    }
    return out;
  }

  after(span: Span): ParagraphChild[] {
    const out: ParagraphChild[] = [];
    for (const c of span.comments ?? []) {
      const left = (this.remaining.get(c) ?? 1) - 1;
      this.remaining.set(c, left);
      if (left === 0) out.push(...this.references(c, true));
    }
    return out;
  }

  references(thread: number, ranged: boolean): ParagraphChild[] {
    const ids = this.commentIds[thread] ?? [];
    return [
      ...(ranged ? ids.map((id) => new CommentRangeEnd(id)) : []),
      ...ids.map((id) => new TextRun({ children: [new CommentReference(id)] })),
    ];
  }

  tracked(span: Span, options: IRunOptions): ParagraphChild {
    const s = span.suggestion!;
    const change = {
      id: ++this.revisions,
      author: this.source.people[s.authorId] ?? this.source.unknownAuthor,
      date: s.createdAt || new Date(0).toISOString(),
    };
    return s.kind === 'insert'
      ? new InsertedTextRun({ ...options, ...change })
      : new DeletedTextRun({ ...options, ...change });
  }

  comments(): ICommentOptions[] {
    return this.source.threads.flatMap((thread, t) => {
      const ids = this.commentIds[t]!;
      const quoted = this.remaining.has(t) ? '' : `${thread.detachedNote}\n`;
      return thread.comments.map((c, k) => ({
        id: ids[k]!,
        author: c.author,
        initials: initials(c.author),
        date: c.date,
        ...(k > 0 ? { parentId: ids[0]! } : {}),
        ...(k === 0 && thread.resolved ? { resolved: true } : {}),
        children: `${k === 0 ? quoted : ''}${c.body}`
          .split('\n')
          .map((line) => new Paragraph({ children: [new TextRun(line)] })),
      }));
    });
  }
}

/** Calls `fn` with every line of inlines in blocks, nested ones included. */
function forEachInlines(blocks: Block[], fn: (inlines: Inline[]) => void): void {
  for (const b of blocks) {
    if (b.kind === 'heading' || b.kind === 'paragraph') fn(b.inlines);
    else if (b.kind === 'list') b.items.forEach((item) => forEachInlines(item, fn));
    else if (b.kind === 'quote') forEachInlines(b.blocks, fn);
    else if (b.kind === 'table') for (const row of b.rows) for (const cell of row) forEachInlines(cell.blocks, fn);
  }
}

class Converter {
  private orderedLists = 0;

  constructor(private readonly annotations?: Annotations) {}

  runs(items: Inline[], base: { bold?: boolean } = {}): ParagraphChild[] {
    const out: ParagraphChild[] = [];
    for (const i of items) {
      if (isLineBreak(i)) {
        out.push(new TextRun({ break: 1 }));
        continue;
      }
      const options: IRunOptions = {
        text: i.text,
        bold: i.bold || base.bold,
        italics: i.italic,
        underline: i.underline ? {} : undefined,
        strike: i.strike,
        font: i.code ? 'Courier New' : undefined,
        style: i.href ? 'Hyperlink' : undefined,
      };
      const a = this.annotations;
      const run = a && i.suggestion ? a.tracked(i, options) : new TextRun(options);
      if (a) out.push(...a.before(i));
      out.push(i.href ? new ExternalHyperlink({ link: i.href, children: [run] }) : run);
      if (a) out.push(...a.after(i));
    }
    return out;
  }

  blocks(blocks: Block[], ctx: { style?: string; level?: number } = {}): (Paragraph | Table)[] {
    return blocks.flatMap((b) => this.block(b, ctx));
  }

  private block(b: Block, ctx: { style?: string; level?: number }): (Paragraph | Table)[] {
    const indent = ctx.level !== undefined ? { left: listIndent(ctx.level).left } : undefined;
    switch (b.kind) {
      case 'heading':
        return [new Paragraph({ heading: headingLevel[b.level], children: this.runs(b.inlines), indent })];
      case 'paragraph':
        return [new Paragraph({ style: ctx.style, children: this.runs(b.inlines), indent })];
      case 'list': {
        const level = ctx.level === undefined ? 0 : ctx.level + 1;
        const numbering = b.ordered
          ? { reference: 'numbered', level, instance: ++this.orderedLists }
          : { reference: 'bullets', level };
        return b.items.flatMap((item) => {
          const [first, ...rest] = item;
          const head =
            first?.kind === 'paragraph'
              ? [new Paragraph({ numbering, children: this.runs(first.inlines) })]
              : [new Paragraph({ numbering, children: [] }), ...(first ? this.block(first, { level }) : [])];
          return [...head, ...this.blocks(rest, { level })];
        });
      }
      case 'table':
        return [
          new Table({
            width: { size: 100, type: WidthType.PERCENTAGE },
            rows: b.rows.map(
              (row) =>
                new TableRow({
                  // Only header rows get the property: docx writes <w:tblHeader/> for any defined value, false included.
                  tableHeader: row.length > 0 && row.every((c) => c.header) ? true : undefined,
                  children: row.map(
                    (c) =>
                      new TableCell({
                        columnSpan: c.colspan > 1 ? c.colspan : undefined,
                        rowSpan: c.rowspan > 1 ? c.rowspan : undefined,
                        children: c.blocks.length ? this.cellBlocks(c.blocks, c.header) : [new Paragraph({})],
                      }),
                  ),
                }),
            ),
          }),
          new Paragraph({}), // Word joins adjacent tables; a paragraph keeps them apart
        ];
      case 'quote':
        return this.blocks(b.blocks, { ...ctx, style: 'Quote' });
      case 'code':
        return b.text
          .split('\n')
          .map((line) => new Paragraph({ children: [new TextRun({ text: line, font: 'Courier New' })], indent }));
      case 'rule':
        return [
          new Paragraph({ border: { bottom: { style: 'single', size: 6, color: '8C8C8C', space: 1 } }, children: [] }),
        ];
    }
  }

  private cellBlocks(blocks: Block[], header: boolean): (Paragraph | Table)[] {
    if (!header) return this.blocks(blocks);
    // Header cells are bold: their paragraphs get the bold base.
    return blocks.flatMap((b) =>
      b.kind === 'paragraph' ? [new Paragraph({ children: this.runs(b.inlines, { bold: true }) })] : this.block(b, {}),
    );
  }
}

function metadataTable(model: RenderModel, converter: Converter): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    columnWidths: [2700, 6300],
    rows: model.metadata.map(
      (m) =>
        new TableRow({
          children: [
            new TableCell({
              width: { size: 30, type: WidthType.PERCENTAGE },
              shading: { type: ShadingType.CLEAR, fill: 'F0F0F0', color: 'auto' },
              children: [new Paragraph({ children: [new TextRun({ text: m.label, bold: true, size: 17 })] })],
            }),
            new TableCell({
              width: { size: 70, type: WidthType.PERCENTAGE },
              children: [new Paragraph({ children: converter.runs(m.inlines) })],
            }),
          ],
        }),
    ),
  });
}

const levels = (format: 'bullet' | 'decimal') =>
  [0, 1, 2, 3, 4, 5].map((level) => ({
    level,
    format: format === 'bullet' ? LevelFormat.BULLET : LevelFormat.DECIMAL,
    text: format === 'bullet' ? ['•', '◦', '▪'][level % 3]! : `%${level + 1}.`,
    alignment: AlignmentType.LEFT,
    style: { paragraph: { indent: listIndent(level) } },
  }));

/**
 * `annotations`: the Word file shows the model's suggestions as tracked changes (w:ins / w:del with the author's
 * name and the time) and the comment threads as Word comments with their replies, on their passages; a thread
 * whose passage is gone is attached to the first line, with its quote.
 */
export async function renderDocx(model: RenderModel, annotations?: WordAnnotations): Promise<Buffer> {
  const words = annotations && new Annotations(annotations, model);
  const converter = new Converter(words);
  const children: (Paragraph | Table)[] = [
    new Paragraph({
      style: styleId(stukwerkStyles.title),
      children: [
        new TextRun({ text: 'VOORSTEL', bold: true, size: 40 }),
        ...(words?.unanchored().flatMap((t) => words.references(t, false)) ?? []),
      ],
    }),
    new Paragraph({
      style: styleId(stukwerkStyles.title),
      children: [new TextRun({ text: 'Algemeen Bestuur', size: 24 })],
    }),
    ...(model.metadata.length ? [metadataTable(model, converter), new Paragraph({})] : []),
    ...converter.blocks(model.body),
    ...converter.blocks(model.closing, { style: styleId(stukwerkStyles.closing) }),
    ...(model.signature
      ? signatureLines(model.signature).map(
          (line) => new Paragraph({ style: styleId(stukwerkStyles.signature), children: [new TextRun(line)] }),
        )
      : []),
  ];
  const doc = new Document({
    creator: 'Stukwerk',
    ...(words ? { comments: { children: words.comments() } } : {}),
    title: model.title,
    description: 'Voorstel aan het algemeen bestuur',
    styles: {
      default: { document: { run: { font: 'Arial', size: 21 } } },
      paragraphStyles: [
        {
          id: styleId(stukwerkStyles.title),
          name: stukwerkStyles.title,
          basedOn: 'Normal',
          paragraph: { spacing: { after: 120 } },
        },
        {
          id: styleId(stukwerkStyles.closing),
          name: stukwerkStyles.closing,
          basedOn: 'Normal',
          paragraph: { spacing: { before: 120 } },
        },
        {
          id: styleId(stukwerkStyles.signature),
          name: stukwerkStyles.signature,
          basedOn: 'Normal',
          paragraph: { spacing: { before: 120 } },
        },
      ],
    },
    numbering: {
      config: [
        { reference: 'bullets', levels: levels('bullet') },
        { reference: 'numbered', levels: levels('decimal') },
      ],
    },
    sections: [
      {
        properties: {
          page: { size: { width: 11906, height: 16838 }, margin: { top: 1300, bottom: 1300, left: 1280, right: 1280 } },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: ['-', PageNumber.CURRENT, '-'] })],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
