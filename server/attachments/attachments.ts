/**
 * Bijlagen: files attached to a document. Editors upload and remove them while the text may change (draft,
 * review); from `ready` on, and while archived, they are frozen with the text (409), and a sign-off records their
 * list (name, size, SHA-256) in the signed version and its hash. Every member may list and download them; anyone
 * else gets the same 404 as for the document. Uploads and removals are in the audit log.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import {
  attachmentExtensions,
  attachmentLimits,
  type AttachmentType,
  type AttachmentView as AttachmentViewOf,
} from '../../common/attachments';
import { isTextLocked } from '../../common/policy';
import type { Database, Executor } from '../../db/client';
import { documentAttachments, documentVersions, documents, users, type AttachmentManifestEntry } from '../../db/schema';
import { recordAudit } from '../audit/audit';
import { requireMembership, requireRole } from '../documents/access';
import { AppError } from '../errors';
import { signedHash } from '../versions/canonical';
import { bindDeps } from '../wiring';
import { detectType } from './detect';
import { hashStored, stageUpload, type BlobStore } from './storage';

export interface AttachmentDeps {
  db: Database;
  store: BlobStore;
}

export type AttachmentView = AttachmentViewOf<Date>;

const notFound = () => new AppError('not_found:attachment', 'Attachment not found.');
const frozen = () =>
  new AppError('conflict:attachments_frozen', 'The attachments are frozen (ready, signed off or archived).');
const unsupported = () =>
  new AppError('unsupported_media_type:attachment', 'Only PDF, DOCX, XLSX, ODT, PNG and JPEG files can be attached.');

/**
 * A file name that is safe to store, show and send back: no directories, no control or bidirectional-override
 * characters, no leading dots, at most 200 characters; never empty.
 */
export function cleanFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069"]/g, '')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 200);
  return cleaned || 'bijlage';
}

/** The detected type's extension on the stored name, so a download opens in the right program. */
function withExtension(name: string, contentType: AttachmentType) {
  const ext = attachmentExtensions[contentType];
  const lower = name.toLowerCase();
  if (lower.endsWith(ext) || (ext === '.jpg' && lower.endsWith('.jpeg'))) return name;
  return `${name.replace(/\.[A-Za-z0-9]{1,5}$/, '')}${ext}`.slice(-200);
}

/** The document row, share-locked inside a transaction so a status change cannot commit between check and write. */
async function lockedState(tx: Executor, documentId: string) {
  const result = await tx.execute(
    sql`select status, archived_at is not null as archived from ${documents} where ${documents.id} = ${documentId} for share`,
  );
  return (result as unknown as { rows: { status: string; archived: boolean }[] }).rows[0]!;
}
const isFrozen = (s: { status: string; archived: boolean }) => s.archived || isTextLocked(s.status);

export async function listAttachments({ db }: AttachmentDeps, userId: string, documentId: string) {
  await requireMembership(db, documentId, userId);
  return { attachments: await attachmentsOf(db, documentId) };
}

export async function attachmentsOf(db: Executor, documentId: string): Promise<AttachmentView[]> {
  const rows = await db
    .select({
      id: documentAttachments.id,
      name: documentAttachments.name,
      contentType: documentAttachments.contentType,
      size: documentAttachments.size,
      sha256: documentAttachments.sha256,
      uploaderId: users.id,
      uploaderName: users.name,
      createdAt: documentAttachments.createdAt,
    })
    .from(documentAttachments)
    .leftJoin(users, eq(users.id, documentAttachments.uploadedBy))
    .where(eq(documentAttachments.documentId, documentId))
    .orderBy(asc(documentAttachments.createdAt), asc(documentAttachments.id));
  return rows.map(({ uploaderId, uploaderName, ...r }) => ({
    ...r,
    uploadedBy: uploaderId ? { id: uploaderId, name: uploaderName ?? '' } : null,
  }));
}

/** What a signed version records and hashes, and what the exports list: name, size and SHA-256, in upload order. */
export async function attachmentManifest(db: Executor, documentId: string): Promise<AttachmentManifestEntry[]> {
  return (await attachmentsOf(db, documentId)).map((a) => ({ name: a.name, size: a.size, sha256: a.sha256 }));
}

export async function uploadAttachment(
  { db, store }: AttachmentDeps,
  userId: string,
  documentId: string,
  rawName: string,
  body: ReadableStream<Uint8Array> | null,
): Promise<AttachmentView> {
  // Refuse early, before a byte is stored; checked again under the lock below.
  const { document } = await requireRole(db, documentId, userId, ['editor'], 'attach files');
  if (isFrozen({ status: document.status, archived: !!document.archivedAt })) throw frozen();
  const staged = await stageUpload(body, store.tempDir, attachmentLimits.maxBytes);
  let stored = false;
  try {
    if (staged.size === 0) throw new AppError('bad_request:file', 'The file is empty.');
    const contentType = await detectType(staged.tempPath, staged.size);
    if (!contentType) throw unsupported();
    await store.put(staged.sha256, staged.tempPath, staged.size);
    stored = true;
    const name = withExtension(cleanFileName(rawName), contentType);
    const id = await db.transaction(async (tx) => {
      await requireRole(tx, documentId, userId, ['editor'], 'attach files');
      if (isFrozen(await lockedState(tx, documentId))) throw frozen();
      const [{ n } = { n: 0 }] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(documentAttachments)
        .where(eq(documentAttachments.documentId, documentId));
      if (n >= attachmentLimits.maxPerDocument)
        throw new AppError(
          'conflict:too_many_attachments',
          `At most ${attachmentLimits.maxPerDocument} attachments per document.`,
          { details: { max: attachmentLimits.maxPerDocument } },
        );
      const [row] = await tx
        .insert(documentAttachments)
        .values({ documentId, name, contentType, size: staged.size, sha256: staged.sha256, uploadedBy: userId })
        .returning({ id: documentAttachments.id });
      await recordAudit(tx, {
        actorId: userId,
        action: 'attachment.added',
        documentId,
        details: { attachmentId: row!.id, name, size: staged.size, sha256: staged.sha256, contentType },
      });
      return row!.id;
    });
    return (await attachmentsOf(db, documentId)).find((a) => a.id === id)!;
  } catch (err) {
    if (stored) await collectGarbage({ db, store }, [staged.sha256]);
    throw err;
  } finally {
    await rm(staged.tempPath, { force: true });
  }
}

export async function openAttachment(
  { db, store }: AttachmentDeps,
  userId: string,
  documentId: string,
  attachmentId: string,
): Promise<{ name: string; contentType: string; size: number; stream: Readable }> {
  await requireMembership(db, documentId, userId);
  const [row] = await db
    .select()
    .from(documentAttachments)
    .where(and(eq(documentAttachments.id, attachmentId), eq(documentAttachments.documentId, documentId)));
  if (!row) throw notFound();
  const blob = await store.get(row.sha256);
  if (!blob) throw new AppError('internal:attachment_missing', 'The file is missing from storage.');
  return { name: row.name, contentType: row.contentType, size: row.size, stream: blob.stream };
}

export async function removeAttachment(deps: AttachmentDeps, userId: string, documentId: string, attachmentId: string) {
  const sha256 = await deps.db.transaction(async (tx) => {
    await requireRole(tx, documentId, userId, ['editor'], 'remove attachments');
    const [row] = await tx
      .select()
      .from(documentAttachments)
      .where(and(eq(documentAttachments.id, attachmentId), eq(documentAttachments.documentId, documentId)));
    if (!row) throw notFound();
    if (isFrozen(await lockedState(tx, documentId))) throw frozen();
    await tx.delete(documentAttachments).where(eq(documentAttachments.id, attachmentId));
    await recordAudit(tx, {
      actorId: userId,
      action: 'attachment.removed',
      documentId,
      details: { attachmentId, name: row.name, sha256: row.sha256 },
    });
    return row.sha256;
  });
  await collectGarbage(deps, [sha256]);
  return { id: attachmentId, removed: true };
}

/**
 * Deletes stored files that nothing refers to any more: no attachment row and no signed version's list (a version
 * is kept after a reopen, and its hash must stay checkable against storage).
 */
export async function collectGarbage({ db, store }: AttachmentDeps, shas: readonly string[]) {
  for (const sha256 of new Set(shas)) {
    const [used] = await db
      .execute(
        sql`select
        exists(select 1 from ${documentAttachments} where ${documentAttachments.sha256} = ${sha256})
        or exists(select 1 from ${documentVersions} where ${documentVersions.attachments} @> ${JSON.stringify([{ sha256 }])}::jsonb)
        as used`,
      )
      .then((r) => (r as unknown as { rows: { used: boolean }[] }).rows);
    if (!used?.used) await store.remove(sha256);
  }
}

/**
 * Recomputes a signed version's hash from what is stored now: its document JSON, and each listed attachment hashed
 * again from the bytes in storage. `matches` is true only when every file is there, unchanged, and the hash of the
 * whole equals the one recorded at sign-off.
 */
export async function verifyVersion(
  { db, store }: AttachmentDeps,
  userId: string,
  documentId: string,
  versionId: string,
) {
  await requireMembership(db, documentId, userId);
  const [version] = await db
    .select({ json: documentVersions.json, sha256: documentVersions.sha256, attachments: documentVersions.attachments })
    .from(documentVersions)
    .where(and(eq(documentVersions.id, versionId), eq(documentVersions.documentId, documentId)));
  if (!version) throw new AppError('not_found:version', 'Version not found.');
  const files = await Promise.all(
    version.attachments.map(async (a) => ({ ...a, stored: (await hashStored(store, a.sha256)) ?? null })),
  );
  const recomputed = signedHash(version.json, version.attachments);
  return {
    sha256: version.sha256,
    recomputed,
    attachments: files.map((f) => ({
      name: f.name,
      sha256: f.sha256,
      storedSha256: f.stored,
      intact: f.stored === f.sha256,
    })),
    matches: recomputed === version.sha256 && files.every((f) => f.stored === f.sha256),
  };
}

export const createAttachments = (deps: AttachmentDeps) =>
  bindDeps(deps, {
    list: listAttachments,
    upload: uploadAttachment,
    open: openAttachment,
    remove: removeAttachment,
    verifyVersion,
  });
export type Attachments = ReturnType<typeof createAttachments>;
