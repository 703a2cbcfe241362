import { eq } from 'drizzle-orm';
import { translator } from '../../common/i18n';
import type { Database } from '../../db/client';
import { documentVersions } from '../../db/schema';
import { recordAudit } from '../audit/audit';
import { requireMembership } from '../documents/access';
import { AppError, notFoundDocument } from '../errors';
import { transferableBuffers } from '../workers/pool';
import type { ServerPool } from '../workers/server-pool';
import { fileStem, type ExportFormat } from './formats';
import { signedStatement, type AttachmentLine, type Signature } from './model';
import { attachmentManifest } from '../attachments/attachments';
import type { RenderRequest } from './render';
import { readStoredUpdates } from './stored';
import { responsesAppendix } from './responses';
import { wordAnnotations } from './word-annotations';
import { latestSignedVersion } from '../versions/versions';
import { localeOfUser } from '../users/users';
import { bindDeps } from '../wiring';

/**
 * Export of a document as stored, for any member. A draft or a document in review is exported from its durable
 * state (snapshot + update log) after the collaboration server has written what it holds, so the file shows what
 * is stored, not what some browser has. A signed-off document is exported from its signed version (the frozen
 * content, whatever happened since), with the sign-off statement, the signer, the time and the SHA-256 of that
 * version; such an export is recorded in the audit log. The rendering itself runs in the server's worker pool
 * (server/export/render.ts), capped in size (server/export/limits.ts).
 */

export interface ExportFile {
  bytes: Buffer;
  contentType: string;
  fileName: string;
  signed: boolean;
}

const contentTypes: Record<ExportFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
};

export async function exportDocument(
  deps: { db: Database; workers: ServerPool; flush?: () => Promise<void> },
  userId: string,
  documentId: string,
  format: ExportFormat,
  options: { suggestions?: boolean; responses?: boolean } = {},
): Promise<ExportFile> {
  const { db } = deps;
  const { document } = await requireMembership(db, documentId, userId);
  const locale = await localeOfUser(db, userId);
  // Tracked changes and comments exist in Word files only; every other export shows the accepted text.
  const tracked = options.suggestions && format === 'docx' ? await wordAnnotations(db, documentId, locale) : undefined;
  let source: RenderRequest['source'];
  let signature: Signature | undefined;
  let attachments: AttachmentLine[];
  if (document.status === 'signed_off') {
    const version = await latestSignedVersion(db, documentId);
    if (!version) throw new AppError('conflict:signed_version_missing', 'The signed version is missing.');
    if (tracked) {
      // Comment anchors resolve against Yjs state, so a tracked export of the signed version reads its state.
      const [row] = await db
        .select({ state: documentVersions.state })
        .from(documentVersions)
        .where(eq(documentVersions.id, version.id));
      source = { kind: 'updates', updates: [row!.state] };
    } else source = { kind: 'json', doc: version.json };
    attachments = version.attachments;
    signature = {
      statement: signedStatement(version.meetingDate, version.signedAt),
      signedBy: version.signedBy ?? translator(locale)('exportText.unknownSigner'),
      signedAt: version.signedAt,
      sha256: version.sha256,
      versionId: version.id,
      locale,
    };
  } else {
    await deps.flush?.();
    const updates = await readStoredUpdates(db, documentId);
    if (!updates.length) throw notFoundDocument(); // deleted since the membership check
    source = { kind: 'updates', updates };
    attachments = await attachmentManifest(db, documentId);
  }

  // Everything from here to the bytes is CPU (applying the Yjs state, layout): a worker thread does it. The
  // stored updates are moved to it, not copied; they are not used here again.
  const rendered = await deps.workers.run(
    'renderExport',
    {
      format,
      source,
      title: document.title,
      signature,
      tracked,
      attachments,
      appendix: options.responses ? await responsesAppendix(db, documentId, userId) : undefined,
    },
    {
      transfer: [
        ...(source.kind === 'updates' ? transferableBuffers(source.updates) : []),
        ...transferableBuffers(tracked?.threads.flatMap((t) => [t.anchorStart, t.anchorEnd]) ?? []),
      ],
    },
  );
  const bytes = Buffer.from(rendered.buffer, rendered.byteOffset, rendered.byteLength);
  if (signature) {
    await recordAudit(db, {
      actorId: userId,
      action: 'export.signed',
      documentId,
      details: {
        format,
        versionId: signature.versionId,
        sha256: signature.sha256,
        tracked: !!tracked,
        responses: !!options.responses,
      },
    });
  }
  return {
    bytes,
    contentType: contentTypes[format],
    fileName: `${fileStem(document.title)}.${format}`,
    signed: !!signature,
  };
}

/** Exports of one server: `createExports({ db, workers, flush }).render(userId, documentId, format, options)`. */
export const createExports = (deps: Parameters<typeof exportDocument>[0]) => bindDeps(deps, { render: exportDocument });
