import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { blocksText, isLineBreak, signatureLines, type Block, type Inline, type RenderModel, type Span } from './model';

/**
 * The voorstel as an A4 PDF with real, selectable text, tagged for assistive technology: a structure tree
 * (Document → H1–H3, P, L/LI/Lbl/LBody, Table/TR/TH/TD, BlockQuote, Link), the document language and its title
 * shown as the window title; borders, rules and page numbers are artifacts, so a screen reader skips them.
 * The font is DejaVu Sans from the `dejavu-fonts-ttf` package, embedded (as a subset): a tagged PDF needs embedded
 * fonts, and it covers characters beyond Western European, which the PDF standard Helvetica does not.
 * Pages are buffered so that the footer "-N-" can be written on every page once the page count is known.
 */
type Doc = InstanceType<typeof PDFDocument>;
type Struct = PDFKit.PDFStructureElement;
interface Frame {
  x: number;
  width: number;
}

const fontDir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const fontFiles = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
  boldItalic: 'DejaVuSans-BoldOblique.ttf',
  mono: 'DejaVuSansMono.ttf',
};
// Names registered on each document (registerFont below).
const fonts = { regular: 'regular', bold: 'bold', italic: 'italic', boldItalic: 'boldItalic', mono: 'mono' };

/** Draws what is only decoration (borders, rules, page numbers) as an artifact, outside the structure. */
function artifact(doc: Doc, draw: () => void, type: 'Layout' | 'Pagination' = 'Layout') {
  doc.markContent('Artifact', { type });
  draw();
  doc.endMarkedContent();
}
const size = { body: 10.5, small: 8.5, h1: 15, h2: 12.5, h3: 11 };
const ink = '#111111';
const linkColor = '#0b4f9c';
const margin = { top: 64, bottom: 70, left: 64, right: 64 };

function fontFor(i: { bold?: boolean; italic?: boolean; code?: boolean }) {
  if (i.code) return fonts.mono;
  if (i.bold && i.italic) return fonts.boldItalic;
  return i.bold ? fonts.bold : i.italic ? fonts.italic : fonts.regular;
}

/**
 * Writes inline content as chains of `continued` runs (pdfkit's way of mixing styles in a paragraph); each hard
 * break starts a new chain, since pdfkit drops a newline at the end of a continued run.
 */
function writeInlines(doc: Doc, items: Inline[], frame: Frame, base: { size: number; bold?: boolean }) {
  const lines: Span[][] = [[]];
  for (const i of items) {
    if (isLineBreak(i)) lines.push([]);
    else lines[lines.length - 1]!.push(i);
  }
  for (const line of lines) {
    const runs = line.length ? line : [{ text: ' ' }];
    doc.x = frame.x;
    runs.forEach((run, n) => {
      doc
        .font(fontFor({ ...run, bold: run.bold || base.bold }))
        .fontSize(base.size)
        .fillColor(run.href ? linkColor : ink);
      doc.text(run.text, {
        width: frame.width,
        continued: n < runs.length - 1,
        link: run.href ?? null,
        underline: !!(run.underline || run.href),
        strike: !!run.strike,
        lineGap: 1.5,
      });
    });
  }
  doc.fillColor(ink);
}

/** A thin grey line across the frame at `y` (decoration, so an artifact for screen readers), the text below it. */
function drawRule(doc: Doc, frame: Frame, y: number) {
  artifact(doc, () =>
    doc
      .lineWidth(0.5)
      .strokeColor('#8c8c8c')
      .moveTo(frame.x, y)
      .lineTo(frame.x + frame.width, y)
      .stroke(),
  );
  doc.y = y + 8;
}

function ensureSpace(doc: Doc, height: number) {
  if (doc.y + height > doc.page.height - margin.bottom) doc.addPage();
}

interface PdfCell {
  text: string;
  bold?: boolean;
  fill?: string;
  span: number;
  fontSize?: number;
}

/** A grid of text cells with borders, tagged as a Table; a row that does not fit starts a new page. */
function drawTable(doc: Doc, parent: Struct, rows: PdfCell[][], frame: Frame, columnWidths?: number[]) {
  const table = doc.struct('Table');
  parent.add(table);
  const columns = Math.max(1, ...rows.map((r) => r.reduce((n, c) => n + c.span, 0)));
  const widths = columnWidths ?? Array<number>(columns).fill(frame.width / columns);
  const pad = 4;
  for (const row of rows) {
    const cells = row.map((c, i) => {
      const start = row.slice(0, i).reduce((n, p) => n + p.span, 0);
      const width = widths.slice(start, start + c.span).reduce((a, b) => a + b, 0);
      const x = frame.x + widths.slice(0, start).reduce((a, b) => a + b, 0);
      doc.font(c.bold ? fonts.bold : fonts.regular).fontSize(c.fontSize ?? size.body);
      return { ...c, x, width, height: doc.heightOfString(c.text || ' ', { width: width - 2 * pad, lineGap: 1 }) };
    });
    const height = Math.max(...cells.map((c) => c.height)) + 2 * pad;
    ensureSpace(doc, height);
    const y = doc.y;
    const tr = doc.struct('TR');
    table.add(tr);
    for (const c of cells) {
      artifact(doc, () => {
        if (c.fill) doc.rect(c.x, y, c.width, height).fill(c.fill);
        doc.lineWidth(0.5).strokeColor('#8c8c8c').rect(c.x, y, c.width, height).stroke();
      });
      tr.add(
        doc.struct(c.bold ? 'TH' : 'TD', {}, () => {
          doc
            .fillColor(ink)
            .font(c.bold ? fonts.bold : fonts.regular)
            .fontSize(c.fontSize ?? size.body);
          doc.text(c.text, c.x + pad, y + pad, { width: c.width - 2 * pad, lineGap: 1 });
        }),
      );
    }
    tr.end();
    doc.x = frame.x;
    doc.y = y + height;
  }
  table.end();
  doc.moveDown(0.6);
}

/** A structure element around content written by `write` (marked content on the current page). */
function tagged(doc: Doc, parent: Struct, tag: string, write: () => void, options: { lang?: string } = {}) {
  parent.add(doc.struct(tag, options, write));
}

function writeBlocks(doc: Doc, blocks: Block[], frame: Frame, parent: Struct) {
  for (const b of blocks) {
    switch (b.kind) {
      case 'heading': {
        const fontSize = size[`h${b.level}`];
        ensureSpace(doc, fontSize * 4); // keep a heading with the first lines below it
        doc.moveDown(0.4);
        tagged(doc, parent, `H${b.level}`, () => writeInlines(doc, b.inlines, frame, { size: fontSize, bold: true }));
        doc.moveDown(0.3);
        break;
      }
      case 'paragraph':
        tagged(doc, parent, 'P', () => writeInlines(doc, b.inlines, frame, { size: size.body }));
        doc.moveDown(0.5);
        break;
      case 'list': {
        const indent = b.ordered ? 22 : 16;
        const list = doc.struct('L');
        parent.add(list);
        b.items.forEach((item, n) => {
          ensureSpace(doc, size.body * 2);
          const y = doc.y;
          const li = doc.struct('LI');
          list.add(li);
          tagged(doc, li, 'Lbl', () => {
            doc.font(fonts.regular).fontSize(size.body).fillColor(ink);
            doc.text(b.ordered ? `${b.start + n}.` : '•', frame.x, y, { width: indent, lineBreak: false });
          });
          doc.y = y;
          const body = doc.struct('LBody');
          li.add(body);
          writeBlocks(
            doc,
            item.length ? item : [{ kind: 'paragraph', inlines: [] }],
            { x: frame.x + indent, width: frame.width - indent },
            body,
          );
          body.end();
          li.end();
        });
        list.end();
        doc.x = frame.x;
        break;
      }
      case 'table':
        drawTable(
          doc,
          parent,
          b.rows.map((row) =>
            row.map((c) => ({
              text: blocksText(c.blocks),
              bold: c.header,
              fill: c.header ? '#eeeeee' : undefined,
              span: c.colspan,
            })),
          ),
          frame,
        );
        break;
      case 'quote': {
        const quote = doc.struct('BlockQuote');
        parent.add(quote);
        writeBlocks(doc, b.blocks, { x: frame.x + 18, width: frame.width - 18 }, quote);
        quote.end();
        doc.x = frame.x;
        break;
      }
      case 'code':
        tagged(doc, parent, 'P', () =>
          doc
            .font(fonts.mono)
            .fontSize(size.small)
            .fillColor(ink)
            .text(b.text, frame.x, undefined, { width: frame.width }),
        );
        doc.moveDown(0.5);
        break;
      case 'rule':
        drawRule(doc, frame, doc.y + 4);
        break;
    }
  }
}

/** Renders the document; resolves with the PDF bytes. */
export function renderPdf(model: RenderModel, info: { createdAt?: Date } = {}): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: margin,
    bufferPages: true,
    lang: 'nl-NL',
    pdfVersion: '1.7',
    tagged: true,
    displayTitle: true,
    info: {
      Title: model.title,
      Subject: 'Voorstel aan het algemeen bestuur',
      Creator: 'Stukwerk',
      CreationDate: info.createdAt ?? new Date(),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const [name, file] of Object.entries(fontFiles)) doc.registerFont(name, path.join(fontDir, file));
  const frame = { x: margin.left, width: doc.page.width - margin.left - margin.right };
  const root = doc.struct('Document');
  doc.addStructure(root);

  tagged(doc, root, 'H1', () =>
    doc
      .font(fonts.bold)
      .fontSize(22)
      .fillColor(ink)
      .text(model.heading?.title ?? 'VOORSTEL', frame.x, margin.top, { width: frame.width, characterSpacing: 2 }),
  );
  tagged(doc, root, 'P', () =>
    doc
      .font(fonts.regular)
      .fontSize(12)
      .text(model.heading?.subtitle ?? 'Algemeen Bestuur', { width: frame.width }),
  );
  doc.moveDown(1);
  if (model.metadata.length)
    drawTable(
      doc,
      root,
      model.metadata.map((m) => [
        { text: m.label, bold: true, fill: '#f0f0f0', span: 1, fontSize: size.small },
        { text: m.value, span: 1 },
      ]),
      frame,
      [150, frame.width - 150],
    );
  doc.moveDown(0.4);
  writeBlocks(doc, model.body, frame, root);
  if (model.closing.length) {
    doc.moveDown(1);
    ensureSpace(doc, 80);
    writeBlocks(doc, model.closing, frame, root);
  }
  if (model.signature) {
    const [statement, signer, hash] = signatureLines(model.signature);
    doc.moveDown(1);
    ensureSpace(doc, 90);
    drawRule(doc, frame, doc.y);
    tagged(doc, root, 'P', () => writeInlines(doc, [{ text: statement!, bold: true }], frame, { size: size.body }));
    // These two lines are in the exporting person's language, which may not be the document's.
    const lang = { lang: model.signature.locale };
    tagged(doc, root, 'P', () => writeInlines(doc, [{ text: signer! }], frame, { size: size.body }), lang);
    tagged(
      doc,
      root,
      'P',
      () =>
        doc
          .font(fonts.mono)
          .fontSize(size.small)
          .fillColor(ink)
          .text(hash!, frame.x, undefined, { width: frame.width }),
      lang,
    );
  }
  if (model.appendix?.length) {
    doc.addPage();
    writeBlocks(doc, model.appendix, frame, root);
  }
  root.end();

  // Footer on every page. The bottom margin is lifted while writing it, or pdfkit would start a new page.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    artifact(
      doc,
      () => {
        doc.font(fonts.regular).fontSize(size.small).fillColor(ink);
        doc.text(`-${i + 1}-`, 0, doc.page.height - 42, { width: doc.page.width, align: 'center', lineBreak: false });
      },
      'Pagination',
    );
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
