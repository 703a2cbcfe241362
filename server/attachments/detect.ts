/**
 * The type of an attachment, from its content (magic bytes), never from its name or the client's word. PDF, PNG
 * and JPEG start with fixed signatures; DOCX, XLSX and ODT are ZIP archives, told apart by what they hold: Office
 * Open XML has `[Content_Types].xml` with `word/document.xml` or `xl/workbook.xml`; OpenDocument starts with an
 * uncompressed `mimetype` entry naming its type. Only the file's head and its ZIP central directory are read.
 */
import { open } from 'node:fs/promises';
import { attachmentTypes, type AttachmentType } from '../../common/attachments';

const startsWith = (bytes: Buffer, signature: number[] | string) =>
  (typeof signature === 'string' ? Buffer.from(signature, 'latin1') : Buffer.from(signature)).equals(
    bytes.subarray(0, signature.length),
  );

/** The names in a ZIP's central directory (read from the end of the file), or undefined when there is none. */
async function zipNames(file: import('node:fs/promises').FileHandle, size: number): Promise<string[] | undefined> {
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = Buffer.alloc(tailLength);
  await file.read(tail, 0, tailLength, size - tailLength);
  let eocd = -1;
  for (let i = tailLength - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const count = tail.readUInt16LE(eocd + 10);
  const dirSize = tail.readUInt32LE(eocd + 12);
  const dirOffset = tail.readUInt32LE(eocd + 16);
  if (dirSize > 8 * 1024 * 1024 || dirOffset + dirSize > size) return undefined;
  const dir = Buffer.alloc(dirSize);
  await file.read(dir, 0, dirSize, dirOffset);
  const names: string[] = [];
  let p = 0;
  for (let n = 0; n < count && p + 46 <= dir.length; n++) {
    if (dir.readUInt32LE(p) !== 0x02014b50) return undefined;
    const nameLength = dir.readUInt16LE(p + 28);
    const extraLength = dir.readUInt16LE(p + 30);
    const commentLength = dir.readUInt16LE(p + 32);
    names.push(dir.toString('utf8', p + 46, p + 46 + nameLength));
    p += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

export async function detectType(filePath: string, size: number): Promise<AttachmentType | undefined> {
  const file = await open(filePath, 'r');
  try {
    const head = Buffer.alloc(Math.min(size, 128));
    await file.read(head, 0, head.length, 0);
    if (startsWith(head, '%PDF-')) return attachmentTypes.pdf;
    if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return attachmentTypes.png;
    if (startsWith(head, [0xff, 0xd8, 0xff])) return attachmentTypes.jpeg;
    if (!startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return undefined;
    // OpenDocument: the first entry is `mimetype`, stored, holding the type (ODF 1.2 part 3, 3.3).
    const nameLength = head.readUInt16LE(26);
    const extraLength = head.readUInt16LE(28);
    if (head.toString('latin1', 30, 30 + nameLength) === 'mimetype') {
      const start = 30 + nameLength + extraLength;
      if (head.toString('latin1', start, start + attachmentTypes.odt.length) === attachmentTypes.odt)
        return attachmentTypes.odt;
    }
    const names = await zipNames(file, size);
    if (!names?.includes('[Content_Types].xml')) return undefined;
    if (names.includes('word/document.xml')) return attachmentTypes.docx;
    if (names.includes('xl/workbook.xml')) return attachmentTypes.xlsx;
    return undefined;
  } finally {
    await file.close();
  }
}
