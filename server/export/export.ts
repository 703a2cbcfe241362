import type { Database } from '../../db/client';
import { recordAudit } from '../audit/audit';
import { loadDocument } from '../collab/persistence';
import { jsonFromYDoc, type PMNode } from '../content/prosemirror';
import { requireMembership } from '../documents/access';
import { AppError, notFoundDocument } from '../errors';
import { renderDocx } from './docx';
import { fileStem, type ExportFormat } from './formats';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import { buildRenderModel, signedStatement, type RenderModel, type Signature } from './model';
import { renderPdf } from './pdf';
import { latestSignedVersion } from '../versions/versions';

/**
 * Export of a document as stored, for any member. A draft or a document in review is exported from its durable
 * state (snapshot + update log) after the collaboration server has written what it holds, so the file shows what
 * is stored, not what some browser has. A signed-off document is exported from its signed version (the frozen
 * content, whatever happened since), with the sign-off statement, the signer, the time and the SHA-256 of that
 * version; such an export is recorded in the audit log.
 */

export interface ExportFile {
  bytes: Buffer;
  contentType: string;
  fileName: string;
  signed: boolean;
}

const renderers: Record<ExportFormat, { contentType: string; render: (m: RenderModel) => Promise<Buffer> | Buffer }> = {
  pdf: { contentType: 'application/pdf', render: (m) => renderPdf(m) },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', render: (m) => renderDocx(m) },
  html: { contentType: 'text/html; charset=utf-8', render: (m) => Buffer.from(renderHtml(m), 'utf8') },
  md: { contentType: 'text/markdown; charset=utf-8', render: (m) => Buffer.from(renderMarkdown(m), 'utf8') },
};

export async function exportDocument(
  deps: { db: Database; flush?: () => Promise<void> },
  userId: string,
  documentId: string,
  format: ExportFormat,
): Promise<ExportFile> {
  const { db } = deps;
  const { document } = await requireMembership(db, documentId, userId);
  let content: PMNode;
  let signature: Signature | undefined;
  if (document.status === 'signed_off') {
    const version = await latestSignedVersion(db, documentId);
    if (!version) throw new AppError('conflict:signed_version_missing', 'De vastgestelde versie ontbreekt. / The signed version is missing.');
    content = version.json as PMNode;
    signature = {
      statement: signedStatement(version.meetingDate, version.signedAt),
      signedBy: version.signedBy ?? 'onbekend (unknown)',
      signedAt: version.signedAt,
      sha256: version.sha256,
      versionId: version.id,
    };
  } else {
    await deps.flush?.();
    const loaded = await loadDocument(db, documentId);
    if (!loaded) throw notFoundDocument();
    content = jsonFromYDoc(loaded.ydoc);
    loaded.ydoc.destroy();
  }

  const renderer = renderers[format];
  const bytes = await renderer.render(buildRenderModel(content, { title: document.title, signature }));
  if (signature) {
    await recordAudit(db, { actorId: userId, action: 'export.signed', documentId, details: { format, versionId: signature.versionId, sha256: signature.sha256 } });
  }
  return { bytes, contentType: renderer.contentType, fileName: `${fileStem(document.title)}.${format}`, signed: !!signature };
}
