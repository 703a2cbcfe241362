/**
 * Where the bytes of attachments live: a directory (DATA_DIR/files by default) or an S3-compatible bucket (S3_URL).
 * Both are content-addressed by SHA-256, so a file is written once however often it is attached, and a stored
 * object can always be checked against its name. An upload is streamed to a temporary file first (hashed and
 * counted on the way, the size cap enforced while it streams), its type is checked from that file, and only then
 * is it moved into place or sent to the bucket.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AppError } from '../errors';

export interface StoredBlob {
  stream: Readable;
  size: number;
}

export interface BlobStore {
  readonly kind: 'files' | 's3';
  /** Stores the file at `tempPath` under `sha256` (moved or copied; the temporary file is gone afterwards). */
  put(sha256: string, tempPath: string, size: number): Promise<void>;
  get(sha256: string): Promise<StoredBlob | undefined>;
  remove(sha256: string): Promise<void>;
  /** Where uploads are staged (always a local directory: the type check reads the whole file). */
  readonly tempDir: string;
  /** Releases connections (S3); the store is not used afterwards. */
  close(): void;
}

const shaPattern = /^[0-9a-f]{64}$/;
function checkSha(sha256: string) {
  if (!shaPattern.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
}

/** DATA_DIR/files/ab/cd/abcd…: two levels of fan-out keep directories small. */
export function fileStore(root: string): BlobStore {
  const where = (sha256: string) => (checkSha(sha256), path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256));
  return {
    kind: 'files',
    tempDir: path.join(root, 'tmp'),
    async put(sha256, tempPath) {
      const target = where(sha256);
      await mkdir(path.dirname(target), { recursive: true });
      await rename(tempPath, target); // same file system: atomic; an identical file just replaces itself
    },
    async get(sha256) {
      const file = where(sha256);
      const info = await stat(file).catch(() => undefined);
      return info ? { stream: createReadStream(file), size: info.size } : undefined;
    },
    async remove(sha256) {
      await rm(where(sha256), { force: true });
    },
    close() {},
  };
}

export interface S3Location {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** Key prefix inside the bucket (the URL's path after the bucket). */
  prefix: string;
}

/**
 * `S3_URL`: `s3://KEY:SECRET@host:port/bucket[/prefix]` (plain http to the endpoint) or `s3+https://…` (TLS);
 * `?region=` (default `us-east-1`). Key and secret are URL-encoded. Path-style addressing, which every
 * S3-compatible server (MinIO, Ceph, Garage) understands.
 */
export function parseS3Url(url: string): S3Location {
  const u = new URL(url);
  if (u.protocol !== 's3:' && u.protocol !== 's3+https:')
    throw new Error('S3_URL must start with s3:// or s3+https://');
  const [bucket, ...rest] = u.pathname.replace(/^\/+/, '').split('/');
  if (!bucket || !u.username || !u.password || !u.host)
    throw new Error('S3_URL must look like s3://KEY:SECRET@host:port/bucket');
  return {
    endpoint: `${u.protocol === 's3+https:' ? 'https' : 'http'}://${u.host}`,
    bucket,
    accessKeyId: decodeURIComponent(u.username),
    secretAccessKey: decodeURIComponent(u.password),
    region: u.searchParams.get('region') ?? 'us-east-1',
    prefix: rest
      .filter(Boolean)
      .map((p) => `${p}/`)
      .join(''),
  };
}

export function s3Store(location: S3Location, tempDir: string): BlobStore & { client: S3Client } {
  const client = new S3Client({
    endpoint: location.endpoint,
    region: location.region,
    forcePathStyle: true,
    // Checksums only where S3 requires them: the SDK's default streams uploads as `aws-chunked` with a CRC trailer,
    // which several S3-compatible servers store verbatim (the framing ends up in the object).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: location.accessKeyId, secretAccessKey: location.secretAccessKey },
  });
  const key = (sha256: string) => (checkSha(sha256), `${location.prefix}${sha256}`);
  const missing = (err: unknown) => {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
  };
  return {
    kind: 's3',
    client,
    tempDir,
    async put(sha256, tempPath, size) {
      try {
        // Content-addressed: an object that exists holds these bytes already.
        const exists = await client
          .send(new HeadObjectCommand({ Bucket: location.bucket, Key: key(sha256) }))
          .then(() => true)
          .catch((err: unknown) => {
            if (missing(err)) return false;
            throw err;
          });
        if (!exists) {
          await client.send(
            new PutObjectCommand({
              Bucket: location.bucket,
              Key: key(sha256),
              Body: createReadStream(tempPath),
              ContentLength: size,
            }),
          );
        }
      } finally {
        await rm(tempPath, { force: true });
      }
    },
    async get(sha256) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: key(sha256) }));
        return { stream: out.Body as Readable, size: Number(out.ContentLength ?? 0) };
      } catch (err) {
        if (missing(err)) return undefined;
        throw err;
      }
    },
    async remove(sha256) {
      await client.send(new DeleteObjectCommand({ Bucket: location.bucket, Key: key(sha256) }));
    },
    close: () => client.destroy(),
  };
}

export function blobStore(config: { dataDir: string; s3Url?: string }): BlobStore {
  const root = path.join(config.dataDir, 'files');
  return config.s3Url ? s3Store(parseS3Url(config.s3Url), path.join(root, 'tmp')) : fileStore(root);
}

export const tooLargeAttachment = (maxBytes: number) =>
  new AppError('too_large:attachment', `An attachment may be at most ${maxBytes} bytes.`, {
    details: { maxBytes, maxMB: Math.round(maxBytes / 2 ** 20) },
  });

/**
 * Streams a request body to a new temporary file, hashing and counting as it goes: past `maxBytes` the stream is
 * cut off (413) and the partial file removed, so nothing larger is ever held in memory or kept on disk.
 */
export async function stageUpload(
  body: ReadableStream<Uint8Array> | null,
  tempDir: string,
  maxBytes: number,
): Promise<{ tempPath: string; sha256: string; size: number }> {
  if (!body) throw new AppError('bad_request:file', 'The request holds no file.');
  await mkdir(tempDir, { recursive: true });
  const tempPath = path.join(tempDir, `${randomUUID()}.part`);
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) return done(tooLargeAttachment(maxBytes));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>),
      meter,
      createWriteStream(tempPath),
    );
  } catch (err) {
    await rm(tempPath, { force: true });
    throw err;
  }
  return { tempPath, sha256: hash.digest('hex'), size };
}

/** SHA-256 of a stored object, read back from storage (to check a signed version against what is stored). */
export async function hashStored(store: BlobStore, sha256: string): Promise<string | undefined> {
  const blob = await store.get(sha256);
  if (!blob) return undefined;
  const hash = createHash('sha256');
  for await (const chunk of blob.stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
