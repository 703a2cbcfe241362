import { and, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type * as Y from 'yjs';
import type { Database } from '../../db/client';
import { commentThreads, type MemberRole } from '../../db/schema';
import type { SuggestionDecisionView, SuggestionView } from '../../common/api/suggestions';
import { isTextLocked, suggestionDeciderRoles, suggesterRoles } from '../../common/policy';
import { contentFragmentName } from '../../common/schema/extensions';
import {
  resolveRanges,
  suggestionRanges,
  suggestionsFromJSON,
  type SuggestionDecision,
  type SuggestionRange,
} from '../../common/suggestions';
import { recordAudit, type AuditAction } from '../audit/audit';
import type { CollabDocument } from '../collab/document';
import { suggestionOrigin } from '../collab/origin';
import { loadDocument } from '../collab/persistence';
import type { CollabServer } from '../collab/server';
import { people } from '../comments/views';
import { jsonFromYDoc } from '../content/prosemirror';
import { requireMembership } from '../documents/access';
import { AppError, notFoundDocument } from '../errors';
import { bindDeps } from '../wiring';
import { suggestionIdSchema, type DecideAllInput } from './schemas';

/**
 * Suggestions of a document (common/schema/suggestions.ts): listing them, and accepting, rejecting or withdrawing
 * them. The suggestions live in the Yjs document, so deciding is a change to the live document made by the server
 * (typed origin `suggestion`): it is logged, relayed to everyone with the document open and recorded in the audit
 * log like any change. The collaboration server makes sure commenters can only add and withdraw their own
 * (server/collab/suggestion-guard.ts).
 */
export interface SuggestionDeps {
  db: Database;
  collab: Pick<CollabServer, 'withDocument' | 'loadedDocument'>;
}

const notFoundSuggestion = () => new AppError('not_found:suggestion', 'Suggestion not found.');

const signedOff = () => new AppError('conflict:signed_off', 'This document is signed off.');
const notEditable = () => new AppError('conflict:not_editable', 'The text is locked (ready for sign-off).');
const refuseLocked = (status: string) => {
  if (status === 'signed_off') throw signedOff();
  if (isTextLocked(status)) throw notEditable();
};

/** The open suggestions in document order, read from the live document if loaded, else from storage. */
export async function listSuggestions({ db, collab }: SuggestionDeps, userId: string, documentId: string) {
  await requireMembership(db, documentId, userId);
  const live = collab.loadedDocument(documentId);
  let json;
  if (live) json = jsonFromYDoc(live.ydoc);
  else {
    const stored = await loadDocument(db, documentId);
    if (!stored) throw notFoundDocument();
    json = jsonFromYDoc(stored.ydoc);
    stored.ydoc.destroy();
  }
  const open = suggestionsFromJSON(json);
  if (!open.length) return { suggestions: [] as SuggestionView[] };
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  const who = await people(
    db,
    open.map((s) => s.authorId).filter((id) => uuid.test(id)),
  );
  const threads = await db
    .select({ id: commentThreads.id, suggestionId: commentThreads.suggestionId })
    .from(commentThreads)
    .where(
      and(
        eq(commentThreads.documentId, documentId),
        isNotNull(commentThreads.suggestionId),
        inArray(
          commentThreads.suggestionId,
          open.map((s) => s.id),
        ),
      ),
    )
    .orderBy(desc(commentThreads.createdAt));
  const threadOf = new Map<string, string>();
  for (const t of threads) if (!threadOf.has(t.suggestionId!)) threadOf.set(t.suggestionId!, t.id);
  const suggestions = open.map((s): SuggestionView => {
    const person = who.get(s.authorId);
    const threadId = threadOf.get(s.id);
    return {
      id: s.id,
      kind: s.kind,
      text: s.text,
      ...(s.replacement !== undefined ? { replacement: s.replacement } : {}),
      author: { id: s.authorId, name: person?.name ?? null, organisation: person?.organisation ?? null },
      createdAt: s.createdAt,
      ...(threadId ? { threadId } : {}),
    };
  });
  return { suggestions };
}

type Outcome = SuggestionDecisionView['outcome'];
const decisionOf: Record<Outcome, SuggestionDecision> = { accepted: 'accept', rejected: 'reject', withdrawn: 'reject' };
const auditActionOf: Record<Outcome, AuditAction> = {
  accepted: 'suggestion.accepted',
  rejected: 'suggestion.rejected',
  withdrawn: 'suggestion.withdrawn',
};

/**
 * The parts of one suggestion. A suggestion's parts all carry its author; a part under the same id with another
 * author (which only an editor's hand-made update could write) is not part of it and stays untouched.
 */
function rangesOf(ydoc: Y.Doc, suggestionId: string): SuggestionRange[] {
  const ranges = suggestionRanges(ydoc.getXmlFragment(contentFragmentName), (a) => a.id === suggestionId);
  const author = ranges[0]?.attrs.authorId;
  return ranges.filter((r) => r.attrs.authorId === author);
}

const kindOf = (ranges: SuggestionRange[]) =>
  ranges.some((r) => r.kind === 'insert') && ranges.some((r) => r.kind === 'delete')
    ? 'replace'
    : (ranges[0]?.kind ?? 'insert');

/** Who may decide what: editors and the chair accept and reject; the author withdraws their own. */
function authorize(role: MemberRole, outcome: Outcome, authorId: string | undefined, userId: string) {
  if (outcome === 'withdrawn') {
    if (!suggesterRoles.includes(role) || (authorId !== undefined && authorId !== userId))
      throw new AppError('forbidden:suggestion', 'Only its author may withdraw a suggestion.');
    return;
  }
  if (!suggestionDeciderRoles.includes(role))
    throw new AppError('forbidden:suggestion', `Your role (${role}) may not accept or reject suggestions.`);
}

/**
 * Applies a decision to the live document. The audit event is written first (as for a restore): a change that
 * everyone sees always has its event. Between that write and the change, the document may have moved on, so the
 * parts are found again, synchronously, right before the one Yjs transaction that resolves them.
 */
async function decide(
  { db, collab }: SuggestionDeps,
  userId: string,
  documentId: string,
  suggestionId: string,
  outcome: Outcome,
): Promise<SuggestionDecisionView> {
  if (!suggestionIdSchema.safeParse(suggestionId).success) throw notFoundSuggestion();
  const { role, document } = await requireMembership(db, documentId, userId);
  authorize(role, outcome, undefined, userId);
  refuseLocked(document.status);
  const result = await collab.withDocument(documentId, async (doc) => {
    refuseLocked(doc.status);
    const found = rangesOf(doc.ydoc, suggestionId);
    if (!found.length) throw notFoundSuggestion();
    const authorId = found[0]!.attrs.authorId;
    authorize(role, outcome, authorId, userId);
    await recordDecision(db, userId, documentId, outcome, [{ id: suggestionId, authorId, kind: kindOf(found) }]);
    applyDecision(doc, userId, outcome, () => rangesOf(doc.ydoc, suggestionId));
    return { id: suggestionId, outcome };
  });
  if (!result) throw notFoundDocument();
  return result;
}

async function recordDecision(
  db: Database,
  userId: string,
  documentId: string,
  outcome: Outcome,
  suggestions: { id: string; authorId: string; kind: string }[],
) {
  await db.transaction(async (tx) => {
    for (const s of suggestions)
      await recordAudit(tx, {
        actorId: userId,
        action: auditActionOf[outcome],
        documentId,
        details: { suggestionId: s.id, authorId: s.authorId, kind: s.kind },
      });
  });
}

/** The last synchronous check and the change itself, in one Yjs transaction with the deciding person as origin. */
function applyDecision(doc: CollabDocument, userId: string, outcome: Outcome, find: () => SuggestionRange[]) {
  refuseLocked(doc.status); // a sign-off or the move to ready may have frozen the text during the audit write
  const ranges = find();
  if (!ranges.length) throw notFoundSuggestion(); // decided by someone else meanwhile
  doc.ydoc.transact(() => resolveRanges(ranges, decisionOf[outcome]), suggestionOrigin(userId));
}

/** Editors accept or reject every open suggestion of one person at once. */
async function decideAll(
  { db, collab }: SuggestionDeps,
  userId: string,
  documentId: string,
  input: DecideAllInput,
  outcome: 'accepted' | 'rejected',
): Promise<{ outcome: Outcome; suggestionIds: string[] }> {
  const { role, document } = await requireMembership(db, documentId, userId);
  if (role !== 'editor')
    throw new AppError('forbidden:suggestion', 'Only editors may decide all suggestions of a person.');
  refuseLocked(document.status);
  const result = await collab.withDocument(documentId, async (doc) => {
    refuseLocked(doc.status);
    const fragment = doc.ydoc.getXmlFragment(contentFragmentName);
    const byAuthor = () => suggestionRanges(fragment, (a) => a.authorId === input.authorId);
    const found = byAuthor();
    const ids = [...new Set(found.map((r) => r.attrs.id))];
    if (!ids.length) return { outcome, suggestionIds: [] };
    await recordDecision(
      db,
      userId,
      documentId,
      outcome,
      ids.map((id) => ({ id, authorId: input.authorId, kind: kindOf(found.filter((r) => r.attrs.id === id)) })),
    );
    applyDecision(doc, userId, outcome, byAuthor);
    return { outcome, suggestionIds: ids };
  });
  if (!result) throw notFoundDocument();
  return result;
}

/** Suggestions of one server: `createSuggestions({ db, collab }).accept(userId, documentId, suggestionId)`. */
export const createSuggestions = (deps: SuggestionDeps) =>
  bindDeps(deps, {
    list: listSuggestions,
    accept: (d: SuggestionDeps, userId: string, documentId: string, id: string) =>
      decide(d, userId, documentId, id, 'accepted'),
    reject: (d: SuggestionDeps, userId: string, documentId: string, id: string) =>
      decide(d, userId, documentId, id, 'rejected'),
    withdraw: (d: SuggestionDeps, userId: string, documentId: string, id: string) =>
      decide(d, userId, documentId, id, 'withdrawn'),
    acceptAll: (d: SuggestionDeps, userId: string, documentId: string, input: DecideAllInput) =>
      decideAll(d, userId, documentId, input, 'accepted'),
    rejectAll: (d: SuggestionDeps, userId: string, documentId: string, input: DecideAllInput) =>
      decideAll(d, userId, documentId, input, 'rejected'),
  });
