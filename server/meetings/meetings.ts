import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import {
  commentThreads,
  comments,
  documentMembers,
  documents,
  meetingItems,
  meetings,
  roundReviewers,
  rounds,
  type Meeting,
} from '../../db/schema';
import {
  consultationValues,
  headerDate,
  type AgendaItemView,
  type MeetingDetail,
  type MeetingView,
} from '../../common/meetings';
import { isTextLocked } from '../../common/policy';
import { recordAudit } from '../audit/audit';
import { isAdministrator } from '../admin/admin';
import { agendaOrigin } from '../collab/origin';
import type { CollabServer } from '../collab/server';
import { setHeaderField } from '../content/header';
import { requireRole } from '../documents/access';
import { AppError } from '../errors';
import { roundViews } from '../rounds/views';
import { isLocale, translator } from '../../common/i18n';
import type { DocumentStatus } from '../../db/schema';
import type { ServerPool } from '../workers/server-pool';
import { bindDeps } from '../wiring';
import type { AgendaRequest } from './agenda-pdf';
import type { CreateMeetingInput, PlaceOnAgendaInput, UpdateMeetingInput } from './schemas';

/**
 * Board meetings (issue 16): a meeting of the algemeen or dagelijks bestuur on a date at a location, and its
 * agenda: documents placed on it with an item number. The number and the meeting's date are written into the
 * document's header (AGENDAPUNT, DATUM) through the live Yjs document, so every open editor sees them at once and
 * exports carry them; they follow when the number or the date changes. A document whose text is locked (ready or
 * signed off) keeps its header: it cannot be placed or moved, and a later date change passes it by.
 *
 * Meetings themselves are not secret (every signed-in person lists them), but an agenda shows a document only to
 * its members: a non-member sees the other items and no trace (title, number, count) of that one.
 * Administrators and editors (people who are an editor of at least one document) create and change meetings.
 */
export interface MeetingsDeps {
  db: Database;
  collab: Pick<CollabServer, 'withDocument'>;
}

const meetingNotFound = () => new AppError('not_found:meeting', 'Meeting not found.');
const textLocked = () => new AppError('conflict:text_locked', 'The text is locked; its agenda entry cannot change.');

const view = (m: Meeting): MeetingView => ({ id: m.id, body: m.body, date: m.date, location: m.location });

/** Administrators and editors (an editor of at least one document) may create and change meetings. */
export async function mayManageMeetings(db: Database, userId: string): Promise<boolean> {
  if (await isAdministrator(db, userId)) return true;
  const [row] = await db
    .select({ id: documentMembers.documentId })
    .from(documentMembers)
    .innerJoin(documents, and(eq(documents.id, documentMembers.documentId), isNull(documents.deletedAt)))
    .where(and(eq(documentMembers.userId, userId), eq(documentMembers.role, 'editor')))
    .limit(1);
  return !!row;
}

async function requireManager(db: Database, userId: string) {
  if (!(await mayManageMeetings(db, userId)))
    throw new AppError('forbidden:meetings', 'Only administrators and editors manage meetings.');
}

export async function listMeetings({ db }: MeetingsDeps): Promise<MeetingView[]> {
  return (await db.select().from(meetings).orderBy(desc(meetings.date), asc(meetings.body))).map(view);
}

/** The meeting and, in item order, the agenda items whose document this person is a member of. */
export async function getMeeting({ db }: MeetingsDeps, userId: string, meetingId: string): Promise<MeetingDetail> {
  const [meeting] = await db.select().from(meetings).where(eq(meetings.id, meetingId));
  if (!meeting) throw meetingNotFound();
  const rows = await db
    .select({
      itemNumber: meetingItems.itemNumber,
      documentId: documents.id,
      title: documents.title,
      status: documents.status,
    })
    .from(meetingItems)
    .innerJoin(documents, and(eq(documents.id, meetingItems.documentId), isNull(documents.deletedAt)))
    .innerJoin(documentMembers, and(eq(documentMembers.documentId, documents.id), eq(documentMembers.userId, userId)))
    .where(eq(meetingItems.meetingId, meetingId))
    .orderBy(asc(meetingItems.itemNumber));
  const latestRounds = rows.length
    ? await db
        .selectDistinctOn([rounds.documentId])
        .from(rounds)
        .where(
          inArray(
            rounds.documentId,
            rows.map((r) => r.documentId),
          ),
        )
        .orderBy(rounds.documentId, desc(rounds.createdAt))
    : [];
  const roundsByDoc = new Map((await roundViews(db, latestRounds)).map((r) => [r.documentId, r]));
  const items: AgendaItemView[] = rows.map((r) => {
    const round = roundsByDoc.get(r.documentId);
    return { ...r, consultation: round ? { status: round.status, counts: round.counts } : null };
  });
  return { ...view(meeting), items };
}

export async function createMeeting({ db }: MeetingsDeps, userId: string, input: CreateMeetingInput) {
  await requireManager(db, userId);
  return db.transaction(async (tx) => {
    const [meeting] = await tx
      .insert(meetings)
      .values({ ...input, createdBy: userId })
      .returning();
    await recordAudit(tx, {
      actorId: userId,
      action: 'meeting.created',
      details: { meetingId: meeting!.id, ...input },
    });
    return view(meeting!);
  });
}

/**
 * Writes a document's AGENDAPUNT and DATUM from what is committed now (or clears them when it is on no agenda).
 * Every change to a placement or a meeting's date ends here, after its transaction, so the header shows the last
 * committed state whatever the order in which concurrent requests finish. Returns false when the text is locked.
 */
async function syncHeader({ db, collab }: MeetingsDeps, userId: string, documentId: string): Promise<boolean> {
  const written = await collab.withDocument(documentId, async (doc) => {
    const [entry] = await db
      .select({ itemNumber: meetingItems.itemNumber, date: meetings.date })
      .from(meetingItems)
      .innerJoin(meetings, eq(meetings.id, meetingItems.meetingId))
      .where(eq(meetingItems.documentId, documentId));
    // After the read, synchronously up to the write: a sign-off cannot slip in between the check and the change.
    if (isTextLocked(doc.status)) return false;
    doc.ydoc.transact(() => {
      setHeaderField(doc.ydoc, 'agendapunt', entry ? String(entry.itemNumber) : '');
      setHeaderField(doc.ydoc, 'datum', entry ? headerDate(entry.date) : '');
    }, agendaOrigin(userId));
    return true;
  });
  return written === true;
}

export async function updateMeeting(deps: MeetingsDeps, userId: string, meetingId: string, input: UpdateMeetingInput) {
  const { db } = deps;
  await requireManager(db, userId);
  const { meeting, dateChanged } = await db.transaction(async (tx) => {
    const [before] = await tx.select().from(meetings).where(eq(meetings.id, meetingId)).for('update');
    if (!before) throw meetingNotFound();
    const [after] = await tx.update(meetings).set(input).where(eq(meetings.id, meetingId)).returning();
    await recordAudit(tx, {
      actorId: userId,
      action: 'meeting.updated',
      details: { meetingId, from: view(before), to: view(after!) },
    });
    return { meeting: view(after!), dateChanged: before.date !== after!.date };
  });
  // The new date reaches every document on the agenda whose text is still open; locked ones keep theirs.
  const notUpdated: string[] = [];
  if (dateChanged) {
    const items = await db
      .select({ documentId: meetingItems.documentId })
      .from(meetingItems)
      .where(eq(meetingItems.meetingId, meetingId));
    for (const { documentId } of items) if (!(await syncHeader(deps, userId, documentId))) notUpdated.push(documentId);
  }
  return { meeting, lockedDocuments: notUpdated.length };
}

/** Places a document on a meeting's agenda (or moves it to another number or meeting); editors of the document. */
export async function placeOnAgenda(
  deps: MeetingsDeps,
  userId: string,
  documentId: string,
  input: PlaceOnAgendaInput,
): Promise<{ meetingId: string; itemNumber: number }> {
  const { db } = deps;
  const { document } = await requireRole(db, documentId, userId, ['editor'], 'place on an agenda');
  if (isTextLocked(document.status)) throw textLocked();
  await db.transaction(async (tx) => {
    // The meeting's row lock serialises placements on one agenda, so the number check below holds.
    const [meeting] = await tx.select().from(meetings).where(eq(meetings.id, input.meetingId)).for('update');
    if (!meeting) throw meetingNotFound();
    const [taken] = await tx
      .select({ documentId: meetingItems.documentId })
      .from(meetingItems)
      .where(and(eq(meetingItems.meetingId, input.meetingId), eq(meetingItems.itemNumber, input.itemNumber)));
    if (taken && taken.documentId !== documentId)
      throw new AppError('conflict:agenda_number', 'This agenda item number is taken.');
    await tx
      .insert(meetingItems)
      .values({ documentId, ...input, addedBy: userId })
      .onConflictDoUpdate({
        target: meetingItems.documentId,
        set: { meetingId: input.meetingId, itemNumber: input.itemNumber, addedBy: userId, addedAt: new Date() },
      });
    await recordAudit(tx, { actorId: userId, action: 'agenda.placed', documentId, details: { ...input } });
  });
  if (!(await syncHeader(deps, userId, documentId))) throw textLocked();
  return input;
}

export async function removeFromAgenda(deps: MeetingsDeps, userId: string, documentId: string): Promise<void> {
  const { db } = deps;
  const { document } = await requireRole(db, documentId, userId, ['editor'], 'place on an agenda');
  if (isTextLocked(document.status)) throw textLocked();
  await db.transaction(async (tx) => {
    const removed = await tx.delete(meetingItems).where(eq(meetingItems.documentId, documentId)).returning();
    if (removed.length)
      await recordAudit(tx, {
        actorId: userId,
        action: 'agenda.removed',
        documentId,
        details: { meetingId: removed[0]!.meetingId, itemNumber: removed[0]!.itemNumber },
      });
  });
  await syncHeader(deps, userId, documentId);
}

/** Where a document is on an agenda, for its page (members only: the caller checked membership). */
export async function agendaEntryOf({ db }: MeetingsDeps, documentId: string) {
  const [entry] = await db
    .select({ meetingId: meetingItems.meetingId, itemNumber: meetingItems.itemNumber })
    .from(meetingItems)
    .where(eq(meetingItems.documentId, documentId));
  return entry ?? null;
}

/** The documents on a meeting's agenda (for the document list's filter; the list itself holds only the reader's). */
export async function documentIdsOnMeeting({ db }: MeetingsDeps, meetingId: string): Promise<Set<string>> {
  const rows = await db
    .select({ id: meetingItems.documentId })
    .from(meetingItems)
    .where(eq(meetingItems.meetingId, meetingId));
  return new Set(rows.map((r) => r.id));
}

/**
 * "Needs my input": the documents where this person is asked something and has not answered yet — an open
 * consultation round that lists them as a reviewer without an answer, or an open (unresolved) comment thread in
 * which a comment mentions them. Only documents they are still a member of.
 */
export async function documentIdsNeedingInput({ db }: MeetingsDeps, userId: string): Promise<Set<string>> {
  const member = and(eq(documentMembers.documentId, rounds.documentId), eq(documentMembers.userId, userId));
  const fromRounds = await db
    .select({ id: rounds.documentId })
    .from(rounds)
    .innerJoin(
      roundReviewers,
      and(eq(roundReviewers.roundId, rounds.id), eq(roundReviewers.userId, userId), isNull(roundReviewers.respondedAt)),
    )
    .innerJoin(documentMembers, member)
    .where(eq(rounds.status, 'open'));
  const fromThreads = await db
    .selectDistinct({ id: commentThreads.documentId })
    .from(commentThreads)
    .innerJoin(comments, eq(comments.threadId, commentThreads.id))
    .innerJoin(
      documentMembers,
      and(eq(documentMembers.documentId, commentThreads.documentId), eq(documentMembers.userId, userId)),
    )
    .where(and(eq(commentThreads.status, 'open'), sql`${comments.mentions} @> ${JSON.stringify([userId])}::jsonb`));
  return new Set([...fromRounds, ...fromThreads].map((r) => r.id));
}

/** The agenda as a PDF in the reader's language, rendered in the worker pool; it lists what the reader may see. */
export async function exportAgenda(
  deps: MeetingsDeps & { workers: ServerPool },
  user: { id: string; locale: string },
  meetingId: string,
): Promise<{ bytes: Buffer; fileName: string }> {
  const meeting = await getMeeting(deps, user.id, meetingId);
  const t = translator(isLocale(user.locale) ? user.locale : 'nl');
  const request: AgendaRequest = {
    heading: t('meetings.pdf.heading'),
    subheading: t(`meetings.body.${meeting.body}`),
    details: [
      { label: t('meetings.pdf.date'), value: headerDate(meeting.date) },
      { label: t('meetings.pdf.location'), value: meeting.location },
    ],
    columns: [
      t('meetings.pdf.item'),
      t('meetings.pdf.title'),
      t('meetings.pdf.status'),
      t('meetings.pdf.consultation'),
    ],
    rows: meeting.items.map((item) => [
      String(item.itemNumber),
      item.title,
      t(`status.label.${item.status as DocumentStatus}`),
      item.consultation ? t('meetings.consultation', consultationValues(item.consultation)) : '',
    ]),
    empty: t('meetings.emptyAgenda'),
  };
  const rendered = await deps.workers.run('renderAgenda', request);
  return {
    bytes: Buffer.from(rendered.buffer, rendered.byteOffset, rendered.byteLength),
    fileName: `agenda-${meeting.body.replace('_', '-')}-${meeting.date}.pdf`,
  };
}

/** Meetings of one server: `createMeetings({ db, collab, workers }).place(userId, documentId, input)`. */
export const createMeetings = (deps: MeetingsDeps & { workers: ServerPool }) =>
  bindDeps(deps, {
    list: listMeetings,
    get: getMeeting,
    create: createMeeting,
    update: updateMeeting,
    place: placeOnAgenda,
    remove: removeFromAgenda,
    entryOf: agendaEntryOf,
    onMeeting: documentIdsOnMeeting,
    needingInput: documentIdsNeedingInput,
    exportPdf: exportAgenda,
    mayManage: ({ db }: MeetingsDeps, userId: string) => mayManageMeetings(db, userId),
  });
