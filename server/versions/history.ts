import { isTextLocked } from '../../common/policy';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { contentFragmentName } from '../../common/schema/extensions';
import { recordAudit } from '../audit/audit';
import { restoreOrigin } from '../collab/origin';
import type { CollabServer } from '../collab/server';
import { jsonFromYDoc, plainText, schema } from '../content/prosemirror';
import { assertNotArchived, requireMembership, requireRole } from '../documents/access';
import { AppError, notFoundDocument } from '../errors';
import type { WorkflowDeps } from '../workflow/workflow';
import { captureVersion, getVersion, insertVersion, listVersions, saveVersion } from './versions';
import { wordDiff } from './diff';
import { bindDeps } from '../wiring';

/** Version history of one document: listing, naming, viewing, comparing and restoring (editors restore and name). */

export async function versionsOf({ db }: WorkflowDeps, userId: string, documentId: string) {
  await requireMembership(db, documentId, userId);
  return listVersions(db, documentId);
}

export async function versionOf({ db }: WorkflowDeps, userId: string, documentId: string, versionId: string) {
  await requireMembership(db, documentId, userId);
  return getVersion(db, documentId, uuidOr404(versionId));
}

export async function nameVersion({ db, collab }: WorkflowDeps, userId: string, documentId: string, name: string) {
  await requireRole(db, documentId, userId, ['editor'], 'name a version');
  // The version and its audit event in one transaction: a named version never exists without its event.
  const version = await collab.withDocument(documentId, (doc) =>
    db.transaction(async (tx) => {
      const saved = await saveVersion(tx, doc, { kind: 'named', name, createdBy: userId });
      await recordAudit(tx, {
        actorId: userId,
        action: 'version.named',
        documentId,
        details: { versionId: saved.id, name },
      });
      return saved;
    }),
  );
  if (!version) throw notFoundDocument();
  return { id: version.id, name, createdAt: version.createdAt };
}

/** `to` is a version id or "current" (the live document). */
export async function compareVersions(
  { db, collab }: WorkflowDeps,
  userId: string,
  documentId: string,
  from: string,
  to: string,
) {
  await requireMembership(db, documentId, userId);
  const fromText = (await getVersion(db, documentId, uuidOr404(from))).text;
  const toText =
    to === 'current' ? await currentText(collab, documentId) : (await getVersion(db, documentId, uuidOr404(to))).text;
  return { from, to, parts: wordDiff(fromText, toText) };
}

async function currentText(collab: CollabServer, documentId: string) {
  // Only the text is compared: no Yjs state or hash to compute for the live document.
  const text = await collab.withDocument(documentId, (doc) => plainText(jsonFromYDoc(doc.ydoc)));
  if (text === undefined) throw notFoundDocument();
  return text;
}

/**
 * Restores a version as a new change on top of the current document: the live fragment is updated to the
 * version's content (y-prosemirror's minimal update), so everyone connected sees it at once and the history keeps
 * every earlier state. The state just before is saved as a `restore` version first.
 */
export async function restoreVersion(
  { db, collab }: WorkflowDeps,
  userId: string,
  documentId: string,
  versionId: string,
) {
  const { document } = await requireRole(db, documentId, userId, ['editor'], 'restore a version');
  assertNotArchived(document);
  const version = await getVersion(db, documentId, uuidOr404(versionId));
  const signedOff = () => new AppError('conflict:signed_off', 'This document is signed off.');
  const locked = () => new AppError('conflict:text_locked', 'The text is locked (ready for sign-off).');
  const frozen = (doc: { status: string }) => isTextLocked(doc.status);
  const refuse = (doc: { status: string }) => (doc.status === 'signed_off' ? signedOff() : locked());
  const result = await collab.withDocument(documentId, async (doc) => {
    if (frozen(doc)) throw refuse(doc);
    // The state before, the restore and its audit event are written first, in one transaction; only then is the
    // live document changed, after a last synchronous check (a sign-off may have frozen it meanwhile). So a restore
    // that everyone sees always has its version row and its audit event.
    const current = captureVersion(doc);
    const saved = await db.transaction(async (tx) => {
      const before = await insertVersion(tx, documentId, current, {
        kind: 'restore',
        name: `Voor terugzetten van ${version.name ?? version.createdAt.toISOString()}`,
        createdBy: userId,
      });
      const details = { restoredVersionId: version.id, savedBeforeVersionId: before.id };
      await recordAudit(tx, { actorId: userId, action: 'version.restored', documentId, details });
      return details;
    });
    if (frozen(doc)) throw refuse(doc);
    doc.ydoc.transact(() => {
      prosemirrorJSONToYXmlFragment(schema(), version.json, doc.ydoc.getXmlFragment(contentFragmentName));
    }, restoreOrigin(userId));
    return saved;
  });
  if (!result) throw notFoundDocument();
  return result;
}

function uuidOr404(id: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
    throw new AppError('not_found:version', 'Version not found.');
  }
  return id;
}

/** Version history of one server: `createVersions({ db, collab }).restore(userId, documentId, versionId)`. */
export const createVersions = (deps: WorkflowDeps) =>
  bindDeps(deps, {
    list: versionsOf,
    get: versionOf,
    name: nameVersion,
    compare: compareVersions,
    restore: restoreVersion,
  });
