import { crc32, inflateRawSync } from 'node:zlib';
import { AppError } from '../errors';
import { importLimits } from './limits';

/**
 * A strict reader for the ZIP container of an uploaded .docx, run before any parser sees the file: it reads the
 * central directory itself, inflates every entry with a hard output cap and checks each CRC-32, so a zip bomb, a
 * truncated upload or a lying size field is refused here instead of exhausting memory inside mammoth.
 * Format: PKWARE APPNOTE 6.3 (end of central directory record, central directory headers, local headers).
 */

export interface ZipEntry {
  name: string;
  data: Buffer;
}

const signature = { eocd: 0x06054b50, central: 0x02014b50, local: 0x04034b50 } as const;

export const corrupt = (why: string, cause?: unknown) =>
  new AppError('invalid:corrupt_docx', `The .docx file is corrupt (${why}).`, { cause });

export const notDocx = () => new AppError('unsupported_media_type:not_docx', 'This is not a .docx file.');

/** Whether the bytes start like a ZIP archive at all (a .docx is one). */
export const looksLikeZip = (bytes: Buffer) => bytes.length >= 4 && bytes.readUInt32LE(0) === signature.local;

export function readZip(bytes: Buffer): Map<string, ZipEntry> {
  // The end-of-central-directory record is in the last 22 + 65535 (comment) bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (bytes.readUInt32LE(i) === signature.eocd) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt('no central directory');
  const count = bytes.readUInt16LE(eocd + 10);
  const dirSize = bytes.readUInt32LE(eocd + 12);
  const dirOffset = bytes.readUInt32LE(eocd + 16);
  if (count > importLimits.maxEntries) throw corrupt('too many entries');
  if (dirOffset + dirSize > eocd) throw corrupt('central directory out of range');

  const entries = new Map<string, ZipEntry>();
  let total = 0;
  let p = dirOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || bytes.readUInt32LE(p) !== signature.central) throw corrupt('bad directory entry');
    const flags = bytes.readUInt16LE(p + 8);
    const method = bytes.readUInt16LE(p + 10);
    const crc = bytes.readUInt32LE(p + 16);
    const compressedSize = bytes.readUInt32LE(p + 20);
    const size = bytes.readUInt32LE(p + 24);
    const nameLength = bytes.readUInt16LE(p + 28);
    const extraLength = bytes.readUInt16LE(p + 30);
    const commentLength = bytes.readUInt16LE(p + 32);
    const localOffset = bytes.readUInt32LE(p + 42);
    const name = bytes.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    p += 46 + nameLength + extraLength + commentLength;

    if (flags & 0x1) throw corrupt('encrypted');
    if (compressedSize === 0xffffffff || size === 0xffffffff) throw corrupt('ZIP64 is not supported');
    total += size;
    if (total > importLimits.maxUncompressedBytes) {
      throw new AppError('too_large:uncompressed', 'The .docx expands to more than 100 MB.');
    }
    if (name.endsWith('/')) continue;
    if (localOffset + 30 > bytes.length || bytes.readUInt32LE(localOffset) !== signature.local)
      throw corrupt('bad local header');
    const start = localOffset + 30 + bytes.readUInt16LE(localOffset + 26) + bytes.readUInt16LE(localOffset + 28);
    const raw = bytes.subarray(start, start + compressedSize);
    if (raw.length !== compressedSize) throw corrupt('truncated');

    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) {
      try {
        // The cap is the declared size plus one byte: an entry that inflates past what it declared is refused.
        data = inflateRawSync(raw, { maxOutputLength: size + 1 });
      } catch (cause) {
        throw corrupt('cannot inflate', cause);
      }
    } else throw corrupt(`unknown compression ${method}`);
    if (data.length !== size || crc32(data) !== crc) throw corrupt('checksum mismatch');
    entries.set(name, { name, data });
  }
  return entries;
}

/**
 * A ZIP archive of `entries`, stored without compression: the container mammoth reads after server/import
 * rewrote one of its parts (word-revisions.ts). Only ever fed to mammoth in the same thread, never sent anywhere,
 * so its size (the uncompressed entries, capped by readZip) does not matter.
 */
export function writeZip(entries: Iterable<ZipEntry>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(signature.local, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(signature.central, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(signature.eocd, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
