import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';

/**
 * Hand-made Word files for import tests: the smallest package Word and mammoth accept ([Content_Types].xml, the
 * package relationships, word/document.xml and its relationships), with whatever body, relationships and extra
 * parts a test needs (macros, remote images, hostile links).
 */
const ns = [
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"',
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"',
  'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"',
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"',
  'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"',
].join(' ');

export const mainContentType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';

export async function buildDocx(
  body: string,
  options: {
    rels?: string;
    files?: Record<string, string | Uint8Array>;
    mainType?: string;
    compression?: 'DEFLATE' | 'STORE';
  } = {},
): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Override PartName="/word/document.xml" ContentType="${options.mainType ?? mainContentType}"/></Types>`,
  );
  zip.file(
    '_rels/.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
  );
  zip.file(
    'word/document.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${ns}><w:body>${body}</w:body></w:document>`,
  );
  zip.file(
    'word/_rels/document.xml.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${options.rels ?? ''}</Relationships>`,
  );
  for (const [name, data] of Object.entries(options.files ?? {})) zip.file(name, data);
  return zip.generateAsync({ type: 'nodebuffer', compression: options.compression ?? 'DEFLATE' });
}

export const para = (text: string) => `<w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;

/** An external hyperlink run and its relationship. */
export const hyperlink = (id: string, target: string, text: string) => ({
  xml: `<w:p><w:hyperlink r:id="${id}"><w:r><w:t>${text}</w:t></w:r></w:hyperlink></w:p>`,
  rel: `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="${target}" TargetMode="External"/>`,
});

/** A picture linked (not embedded) from `url`: Word would fetch it when the document opens. */
export const linkedImage = (id: string, url: string) => ({
  xml: `<w:p><w:r><w:drawing><wp:inline><wp:extent cx="100" cy="100"/><wp:docPr id="1" name="Afbeelding" descr="extern"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="x.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:link="${id}"/></pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`,
  rel: `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="${url}" TargetMode="External"/>`,
});

/** The text of a PDF as Debian's pdftotext reads it (poppler-utils), and its page count from pdfinfo. */
export function readPdf(bytes: Uint8Array): { text: string; pages: number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'stukwerk-pdf-'));
  const file = path.join(dir, 'export.pdf');
  writeFileSync(file, bytes);
  const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return { text, pages: Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]) };
}

/** Collapses whitespace (PDF line wrapping, XML runs) so a sentence can be searched for as a whole. */
export const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Paragraph texts of word/document.xml with their style ids, in order. */
export function wordParagraphs(documentXml: string): { style?: string; text: string }[] {
  return [...documentXml.matchAll(/<w:p\b[^>]*>([\s\S]*?)<\/w:p>/g)].map((m) => ({
    style: /<w:pStyle w:val="([^"]+)"/.exec(m[1]!)?.[1],
    text: [...m[1]!.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''),
  }));
}
