import { eq } from 'drizzle-orm';
import { hasOpenItems } from '../../common/api/sign-off';
import { mayTransition } from '../../common/policy';
import { suggestionsFromJSON } from '../../common/suggestions';
import type { Database, Executor } from '../../db/client';
import { documents, type AttachmentManifestEntry, type DocumentStatus } from '../../db/schema';
import { attachmentManifest } from '../attachments/attachments';
import { canonicalJson, signedHash } from '../versions/canonical';
import { recordAudit } from '../audit/audit';
import type { CollabServer } from '../collab/server';
import { jsonFromYDoc, type PMNode } from '../content/prosemirror';
import { assertNotArchived, requireRole } from '../documents/access';
import { metadataOf } from '../documents/documents';
import { AppError, notFoundDocument } from '../errors';
import { captureVersion, insertVersion } from '../versions/versions';
import { bindDeps } from '../wiring';
import { mailDocumentEvent } from '../mail/notify';
import { requireMembership } from '../documents/access';
import { openItemsOf } from './open-items';

/**
 * The workflow (docs/architecture.md, common/policy.ts): draft → review → ready (editors), review or ready → draft
 * (editors), ready → signed_off (the chair signs), signed_off → draft (the chair reopens). The live document's status
 * changes together with the stored one, so open connections follow at once; `ready` locks the text like a sign-off.
 */
export interface WorkflowDeps {
  db: Database;
  collab: CollabServer;
  /**
   * The consultation rounds (server/rounds): moving to `ready` closes an open round in the same transaction (the
   * text the board decides on is locked, so there is nothing left to consult on), recorded with reason `ready`.
   */
  rounds?: {
    closeOpenLocked(tx: Executor, userId: string, documentId: string): Promise<string | null>;
    announceClosed(roundId: string, userId: string): Promise<unknown>;
  };
}

const signedOff = () => new AppError('conflict:signed_off', 'This document is signed off.');
const notReady = () =>
  new AppError('conflict:not_ready', 'Only a document that is ready (text locked) can be signed off.');

/** The live document's version, its hash covering the attachments signed with it (server/versions/canonical.ts). */
function signedCapture(doc: Parameters<typeof captureVersion>[0], attachments: AttachmentManifestEntry[]) {
  const captured = captureVersion(doc);
  return { ...captured, sha256: signedHash(captured.json, attachments) };
}

export type StatusTarget = 'review' | 'ready' | 'draft';

async function lockedStatus(tx: Executor, documentId: string): Promise<DocumentStatus> {
  const [row] = await tx
    .select({ status: documents.status })
    .from(documents)
    .where(eq(documents.id, documentId))
    .for('update');
  if (!row) throw notFoundDocument();
  return row.status;
}

async function setStored(tx: Executor, documentId: string, status: DocumentStatus) {
  await tx.update(documents).set({ status, updatedAt: new Date() }).where(eq(documents.id, documentId));
}

/**
 * Suggestions must be decided before the text is locked: the signed text is the accepted text, and nobody could
 * decide them any more. The move to ready checks the live document first (a suggestion typed in the moment between
 * that check and the lock stays open, locked with the text); the sign-off checks the very state it signs, in the same
 * synchronous step that freezes it, so a signed version never holds an open suggestion.
 */
const openSuggestions = (json: PMNode) => {
  const ids = suggestionsFromJSON(json).map((s) => s.id);
  return ids.length
    ? new AppError('conflict:open_suggestions', 'Open suggestions must be accepted or rejected first.', {
        details: { suggestionIds: ids },
      })
    : undefined;
};

export async function changeStatus(
  { db, collab, rounds }: WorkflowDeps,
  userId: string,
  documentId: string,
  to: StatusTarget,
) {
  const { document } = await requireRole(db, documentId, userId, ['editor'], 'change the status');
  assertNotArchived(document);
  // A sign-off in progress has frozen the live document already; its transaction decides, not this request.
  if (collab.loadedDocument(documentId)?.status === 'signed_off') throw signedOff();
  if (to === 'ready') {
    const open = await collab.withDocument(documentId, (doc) => openSuggestions(jsonFromYDoc(doc.ydoc)));
    if (open) throw open;
  }
  if (to === 'ready' && collab.cluster)
    return lockAcrossProcesses({ db, collab, rounds }, userId, documentId, document.status);
  const { from, closedRound } = await db.transaction(async (tx) => {
    const current = await changeStatusLocked(tx, userId, documentId, to);
    // Review asks the commenters (municipalities) and the chair for their input.
    if (to === 'review')
      await mailDocumentEvent(tx, 'document_review', { actorId: userId, documentId }, ['commenter', 'chair']);
    const closed = to === 'ready' && rounds ? await rounds.closeOpenLocked(tx, userId, documentId) : null;
    return { from: current, closedRound: closed };
  });
  // From here on every open connection is read-only (ready) or writable again (draft), synchronously for all.
  collab.setStatus(documentId, to);
  if (closedRound && rounds) await rounds.announceClosed(closedRound, userId);
  return { id: documentId, status: to, previous: from };
}

/**
 * Locking the text (`ready`) with several processes follows the sign-off's rule (see `signOffAcrossProcesses`): this
 * process refuses writes and commits what it accepted, every other process holding the document is told to do the
 * same and answers once it has committed (the wait is bounded; one that does not answer is treated as gone), and only
 * then is the status written under its row lock. An append that reaches the log after that finds the text locked
 * under the log lock and is dropped, so nothing typed after the response is stored anywhere.
 */
async function lockAcrossProcesses(
  { db, collab, rounds }: WorkflowDeps,
  userId: string,
  documentId: string,
  stored: DocumentStatus,
) {
  // A transition the policy refuses must not freeze anyone, even for the length of a request.
  if (stored === 'signed_off') throw signedOff();
  if (stored !== 'ready' && !mayTransition('editor', stored, 'ready')) {
    throw new AppError('conflict:status', `The document cannot move from ${stored} to ready.`);
  }
  const cluster = collab.cluster!;
  const live = collab.loadedDocument(documentId);
  const previous = live?.status ?? stored;
  live?.setStatus('ready');
  try {
    await collab.flush();
    await cluster.freezeEverywhere(documentId, 'ready');
    const { from, closedRound } = await db.transaction(async (tx) => ({
      from: await changeStatusLocked(tx, userId, documentId, 'ready'),
      closedRound: rounds ? await rounds.closeOpenLocked(tx, userId, documentId) : null,
    }));
    collab.setStatus(documentId, 'ready'); // and every process hears it (also one that loaded the document meanwhile)
    if (closedRound && rounds) await rounds.announceClosed(closedRound, userId);
    return { id: documentId, status: 'ready' as const, previous: from };
  } catch (err) {
    // Unfreeze everywhere to what the database says now.
    const [row] = await db.select({ status: documents.status }).from(documents).where(eq(documents.id, documentId));
    collab.setStatus(documentId, row?.status ?? previous);
    throw err;
  }
}

/**
 * The stored half of a status change, inside the caller's transaction (rounds move a draft to review in theirs):
 * the row is locked, the transition checked against common/policy.ts, the status written and audited.
 */
export async function changeStatusLocked(
  tx: Executor,
  userId: string,
  documentId: string,
  to: StatusTarget,
): Promise<DocumentStatus> {
  const current = await lockedStatus(tx, documentId);
  if (current === 'signed_off') throw signedOff();
  if (current === to) throw new AppError('conflict:status', `The document is already ${to}.`);
  if (!mayTransition('editor', current, to)) {
    throw new AppError('conflict:status', `The document cannot move from ${current} to ${to}.`);
  }
  await setStored(tx, documentId, to);
  await recordAudit(tx, {
    actorId: userId,
    action: 'document.status_changed',
    documentId,
    details: { from: current, to },
  });
  return current;
}

/**
 * What a sign-off stores, in its transaction, the same in one process and across several: the status, the signed
 * version, the audit event and the mail to every member.
 */
async function recordSignOff(
  tx: Executor,
  s: {
    userId: string;
    documentId: string;
    captured: ReturnType<typeof captureVersion>;
    authors: readonly string[];
    signedAt: Date;
    signerName: string;
    /** The attachments signed with the text; their list is part of `captured.sha256`. */
    attachments: AttachmentManifestEntry[];
    /** The chair confirmed in the dialog that they sign despite open items. */
    acknowledged: boolean;
  },
) {
  // Attachments are frozen from `ready` on; the list hashed must still be the list stored.
  const stored = await attachmentManifest(tx, s.documentId);
  if (canonicalJson(stored) !== canonicalJson(s.attachments))
    throw new AppError('conflict:attachments_changed', 'The attachments changed during sign-off; try again.');
  // Recomputed here, in the sign-off's own transaction: the audit event records what was open, not what a browser said.
  const openItems = await openItemsOf(tx, s.documentId);
  await setStored(tx, s.documentId, 'signed_off');
  const version = await insertVersion(tx, s.documentId, s.captured, {
    kind: 'signed',
    createdBy: s.userId,
    authors: [...s.authors],
    createdAt: s.signedAt,
    attachments: s.attachments,
  });
  await recordAudit(tx, {
    actorId: s.userId,
    action: 'document.signed_off',
    documentId: s.documentId,
    details: {
      versionId: version.id,
      sha256: version.sha256,
      openItems: { threads: openItems.threads, round: openItems.round },
      signedWithOpenItems: hasOpenItems(openItems),
      acknowledged: s.acknowledged,
    },
  });
  await mailDocumentEvent(tx, 'document_signed_off', {
    actorId: s.userId,
    documentId: s.documentId,
    excerpt: `Vastgesteld door ${s.signerName}. SHA-256: ${version.sha256}`,
  });
  return version;
}

/**
 * The chair's sign-off, atomic with respect to incoming edits: the live document is switched to signed_off and its
 * state captured in one synchronous step (no message can be handled in between), so the stored version is exactly
 * the content at that moment and no later update is ever applied. The database then records it; if that fails
 * the document is unfrozen again.
 */
/** What is still open, for the chair's sign-off dialog (every member may read it; the chair is the one who signs). */
export async function signOffCheck({ db }: WorkflowDeps, userId: string, documentId: string) {
  await requireMembership(db, documentId, userId);
  return openItemsOf(db, documentId);
}

export async function signOff(
  { db, collab }: WorkflowDeps,
  userId: string,
  documentId: string,
  options: { acknowledged?: boolean } = {},
) {
  const acknowledged = options.acknowledged ?? false;
  const { document } = await requireRole(db, documentId, userId, ['chair'], 'sign off');
  assertNotArchived(document);
  if (document.status === 'signed_off') throw signedOff();
  if (document.status !== 'ready') throw notReady();
  const signer = (await db.query.users.findFirst({
    where: (u, { eq: eq_ }) => eq_(u.id, userId),
    columns: { name: true },
  }))!;
  if (collab.cluster) return signOffAcrossProcesses({ db, collab }, userId, documentId, signer.name, acknowledged);
  // Frozen since `ready`: read before the live document is frozen, re-checked in the transaction.
  const attachments = await attachmentManifest(db, documentId);
  const result = await collab.withDocument(documentId, async (doc) => {
    if (doc.status === 'signed_off') throw signedOff();
    const previous = doc.status;
    const signedAt = new Date();
    // One synchronous step: capture, then freeze. No message can be handled in between.
    const captured = signedCapture(doc, attachments);
    const open = openSuggestions(captured.json);
    if (open) throw open;
    const meetingDate = metadataOf(captured.json).datum ?? '';
    doc.setStatus('signed_off', {
      signedOff: { signedAt: signedAt.toISOString(), signedBy: signer.name, sha256: captured.sha256, meetingDate },
    });
    try {
      await collab.flush(); // every update accepted before the freeze is in the log too
      const signed = await db.transaction(async (tx) => {
        const stored = await lockedStatus(tx, documentId);
        if (stored === 'signed_off') throw signedOff();
        if (stored !== 'ready') throw notReady(); // moved back to draft while the log was flushed
        const version = await recordSignOff(tx, {
          userId,
          documentId,
          captured,
          authors: doc.authorsSinceVersion,
          signedAt,
          signerName: signer.name,
          attachments,
          acknowledged,
        });
        return {
          versionId: version.id,
          sha256: version.sha256,
          signedAt: signedAt.toISOString(),
          signedBy: signer.name,
        };
      });
      // The signed version ends the period: no automatic version of the same text follows it.
      doc.startVersionPeriod();
      return signed;
    } catch (err) {
      // Unfreeze to what the database says now (another request may have changed it meanwhile).
      const [row] = await db.select({ status: documents.status }).from(documents).where(eq(documents.id, documentId));
      doc.setStatus(row?.status ?? previous);
      throw err;
    }
  });
  if (!result) throw notFoundDocument();
  return result;
}

/**
 * Sign-off with several processes (REDIS_URL). The rule: every process holding the document is told to refuse
 * writes and commit what it accepted, and the signer waits for their answers (at most `freezeWaitMs`); the signed
 * state is then built, inside the transaction that sets the status, from this process's copy after it applied every
 * log row under the document's log lock, and written as the snapshot with the log folded into it. A process that did
 * not answer is treated as gone: its appends re-check the status under the same lock and are dropped, so nothing
 * accepted after the lock is stored, and the stored state is the signed state.
 */
async function signOffAcrossProcesses(
  { db, collab }: WorkflowDeps,
  userId: string,
  documentId: string,
  signerName: string,
  acknowledged: boolean,
) {
  const cluster = collab.cluster!;
  const result = await collab.withDocument(documentId, async (doc) => {
    if (doc.status === 'signed_off') throw signedOff();
    const previous = doc.status;
    const signedAt = new Date();
    doc.setStatus('signed_off'); // this process refuses writes from here on
    try {
      await collab.flush();
      await cluster.freezeEverywhere(documentId);
      const signed = await db.transaction(async (tx) => {
        const stored = await lockedStatus(tx, documentId);
        if (stored === 'signed_off') throw signedOff();
        if (stored !== 'ready') throw notReady();
        const log = await cluster.catchUpLocked(tx, doc);
        const attachments = await attachmentManifest(tx, documentId);
        const captured = signedCapture(doc, attachments);
        const open = openSuggestions(captured.json);
        if (open) throw open; // the catch below unfreezes
        await log.writeSnapshot();
        const version = await recordSignOff(tx, {
          userId,
          documentId,
          captured,
          authors: doc.authorsSinceVersion,
          signedAt,
          signerName,
          attachments,
          acknowledged,
        });
        const meetingDate = metadataOf(captured.json).datum ?? '';
        return {
          versionId: version.id,
          sha256: version.sha256,
          signedAt: signedAt.toISOString(),
          signedBy: signerName,
          meetingDate,
        };
      });
      doc.startVersionPeriod();
      const { meetingDate, ...answer } = signed;
      const extra = {
        signedOff: { signedAt: answer.signedAt, signedBy: signerName, sha256: answer.sha256, meetingDate },
      };
      doc.setStatus('signed_off', extra);
      cluster.publishStatus(documentId, 'signed_off', extra);
      return answer;
    } catch (err) {
      const [row] = await db.select({ status: documents.status }).from(documents).where(eq(documents.id, documentId));
      doc.setStatus(row?.status ?? previous);
      cluster.publishStatus(documentId, row?.status ?? previous);
      throw err;
    }
  });
  if (!result) throw notFoundDocument();
  return result;
}

export async function reopen({ db, collab }: WorkflowDeps, userId: string, documentId: string) {
  await requireRole(db, documentId, userId, ['chair'], 'reopen');
  await db.transaction(async (tx) => {
    const current = await lockedStatus(tx, documentId);
    if (current !== 'signed_off')
      throw new AppError('conflict:not_signed_off', 'Only a signed-off document can be reopened.');
    await setStored(tx, documentId, 'draft');
    await recordAudit(tx, { actorId: userId, action: 'document.reopened', documentId });
  });
  collab.setStatus(documentId, 'draft');
  return { id: documentId, status: 'draft' as const };
}

/** The workflow of one server: `createWorkflow({ db, collab }).signOff(userId, documentId)`. */
export const createWorkflow = (deps: WorkflowDeps) => bindDeps(deps, { changeStatus, signOff, signOffCheck, reopen });
