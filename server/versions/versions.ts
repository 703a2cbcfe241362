import { and, desc, eq, inArray } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Database, Executor } from '../../db/client';
import { documentVersions, users, type AttachmentManifestEntry, type VersionKind } from '../../db/schema';
import type { CollabDocument } from '../collab/document';
import { jsonFromYDoc, plainText, type PMNode } from '../content/prosemirror';
import { metadataOf } from '../documents/documents';
import { AppError } from '../errors';
import { documentHash } from './canonical';

/** What a version is made of, taken from the live document in one synchronous step. */
export function captureVersion(doc: Pick<CollabDocument, 'ydoc'>) {
  const json = jsonFromYDoc(doc.ydoc);
  return { state: Y.encodeStateAsUpdate(doc.ydoc), json, text: plainText(json), sha256: documentHash(json) };
}

export async function insertVersion(
  tx: Executor,
  documentId: string,
  captured: ReturnType<typeof captureVersion>,
  meta: {
    kind: VersionKind;
    name?: string | null;
    createdBy?: string | null;
    authors?: string[];
    createdAt?: Date;
    /** A signed version's frozen attachments (their list is part of `captured.sha256`, see `signedHash`). */
    attachments?: AttachmentManifestEntry[];
  },
) {
  const [row] = await tx
    .insert(documentVersions)
    .values({
      documentId,
      ...captured,
      kind: meta.kind,
      name: meta.name ?? null,
      createdBy: meta.createdBy ?? null,
      authors: meta.authors ?? [],
      attachments: meta.attachments ?? [],
      ...(meta.createdAt ? { createdAt: meta.createdAt } : {}),
    })
    .returning({ id: documentVersions.id, createdAt: documentVersions.createdAt, sha256: documentVersions.sha256 });
  return row!;
}

/** Takes a version of a live document and starts a new "since the last version" period. */
export async function saveVersion(
  db: Executor,
  doc: CollabDocument,
  meta: { kind: VersionKind; name?: string | null; createdBy?: string | null },
) {
  const captured = captureVersion(doc);
  const authors = doc.startVersionPeriod();
  return insertVersion(db, doc.id, captured, { ...meta, authors });
}

export interface VersionSummary {
  id: string;
  kind: VersionKind;
  name: string | null;
  createdAt: Date;
  createdBy: string | null;
  authors: string[];
  sha256: string;
}

export async function listVersions(db: Database, documentId: string): Promise<VersionSummary[]> {
  const rows = await db
    .select({
      id: documentVersions.id,
      kind: documentVersions.kind,
      name: documentVersions.name,
      createdAt: documentVersions.createdAt,
      createdBy: users.name,
      authorIds: documentVersions.authors,
      sha256: documentVersions.sha256,
    })
    .from(documentVersions)
    .leftJoin(users, eq(users.id, documentVersions.createdBy))
    .where(eq(documentVersions.documentId, documentId))
    .orderBy(desc(documentVersions.createdAt));
  const ids = [...new Set(rows.flatMap((r) => r.authorIds))];
  const names = new Map(
    ids.length
      ? (await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids))).map((u) => [
          u.id,
          u.name,
        ])
      : [],
  );
  return rows.map(({ authorIds, ...r }) => ({ ...r, authors: authorIds.map((id) => names.get(id) ?? 'onbekend') }));
}

export async function getVersion(db: Database, documentId: string, versionId: string) {
  const [row] = await db
    .select({
      id: documentVersions.id,
      kind: documentVersions.kind,
      name: documentVersions.name,
      json: documentVersions.json,
      text: documentVersions.text,
      sha256: documentVersions.sha256,
      createdAt: documentVersions.createdAt,
      createdBy: users.name,
    })
    .from(documentVersions)
    .leftJoin(users, eq(users.id, documentVersions.createdBy))
    .where(and(eq(documentVersions.documentId, documentId), eq(documentVersions.id, versionId)));
  if (!row) throw new AppError('not_found:version', 'Version not found.');
  return row;
}

/** The version that froze the document at its latest sign-off, with its content and the meeting date from it. */
export async function latestSignedVersion(db: Pick<Database, 'select'>, documentId: string) {
  const [row] = await db
    .select({
      id: documentVersions.id,
      sha256: documentVersions.sha256,
      signedAt: documentVersions.createdAt,
      signedBy: users.name,
      json: documentVersions.json,
      attachments: documentVersions.attachments,
    })
    .from(documentVersions)
    .leftJoin(users, eq(users.id, documentVersions.createdBy))
    .where(and(eq(documentVersions.documentId, documentId), eq(documentVersions.kind, 'signed')))
    .orderBy(desc(documentVersions.createdAt))
    .limit(1);
  if (!row) return undefined;
  return { ...row, json: row.json as PMNode, meetingDate: metadataOf(row.json as PMNode).datum ?? '' };
}
