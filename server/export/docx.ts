import {
  AlignmentType,
  Document,
  ExternalHyperlink,
  Footer,
  HeadingLevel,
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
  type ParagraphChild,
} from 'docx';
import { isLineBreak, signatureLines, type Block, type Inline, type RenderModel } from './model';

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

function runs(items: Inline[], base: { bold?: boolean } = {}): ParagraphChild[] {
  const out: ParagraphChild[] = [];
  for (const i of items) {
    if (isLineBreak(i)) {
      out.push(new TextRun({ break: 1 }));
      continue;
    }
    const run = new TextRun({
      text: i.text,
      bold: i.bold || base.bold,
      italics: i.italic,
      underline: i.underline ? {} : undefined,
      strike: i.strike,
      font: i.code ? 'Courier New' : undefined,
      style: i.href ? 'Hyperlink' : undefined,
    });
    out.push(i.href ? new ExternalHyperlink({ link: i.href, children: [run] }) : run);
  }
  return out;
}

/**
 * Converts blocks; `level` is the list level the blocks sit in (continuation paragraphs are indented to it). Each
 * ordered list gets its own numbering instance, so numbering restarts at 1 per list as in the editor.
 */
class Converter {
  private orderedLists = 0;

  blocks(blocks: Block[], ctx: { style?: string; level?: number } = {}): (Paragraph | Table)[] {
    return blocks.flatMap((b) => this.block(b, ctx));
  }

  private block(b: Block, ctx: { style?: string; level?: number }): (Paragraph | Table)[] {
    const indent = ctx.level !== undefined ? { left: listIndent(ctx.level).left } : undefined;
    switch (b.kind) {
      case 'heading':
        return [new Paragraph({ heading: headingLevel[b.level], children: runs(b.inlines), indent })];
      case 'paragraph':
        return [new Paragraph({ style: ctx.style, children: runs(b.inlines), indent })];
      case 'list': {
        const level = ctx.level === undefined ? 0 : ctx.level + 1;
        const numbering = b.ordered
          ? { reference: 'numbered', level, instance: ++this.orderedLists }
          : { reference: 'bullets', level };
        return b.items.flatMap((item) => {
          const [first, ...rest] = item;
          const head =
            first?.kind === 'paragraph'
              ? [new Paragraph({ numbering, children: runs(first.inlines) })]
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
      b.kind === 'paragraph' ? [new Paragraph({ children: runs(b.inlines, { bold: true }) })] : this.block(b, {}),
    );
  }
}

function metadataTable(model: RenderModel): Table {
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
              children: [new Paragraph({ children: m.value ? [new TextRun(m.value)] : [] })],
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

export async function renderDocx(model: RenderModel): Promise<Buffer> {
  const converter = new Converter();
  const children: (Paragraph | Table)[] = [
    new Paragraph({
      style: styleId(stukwerkStyles.title),
      children: [new TextRun({ text: 'VOORSTEL', bold: true, size: 40 })],
    }),
    new Paragraph({
      style: styleId(stukwerkStyles.title),
      children: [new TextRun({ text: 'Algemeen Bestuur', size: 24 })],
    }),
    ...(model.metadata.length ? [metadataTable(model), new Paragraph({})] : []),
    ...converter.blocks(model.body),
    ...converter.blocks(model.closing, { style: styleId(stukwerkStyles.closing) }),
    ...(model.signature
      ? signatureLines(model.signature).map(
          (line) => new Paragraph({ style: styleId(stukwerkStyles.signature), children: [new TextRun(line)] }),
        )
      : []),
    ...converter.blocks(model.appendix ?? []),
  ];
  const doc = new Document({
    creator: 'Stukwerk',
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
