import { and, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client';
import { documentMembers, documents, roundReviewers, rounds, type Round } from '../../db/schema';
import { jsonMessage, messageType } from '../../common/protocol';
import { roundCloserRoles, roundOpenableStatuses, roundOpenerRoles } from '../../common/policy';
import type { RoundEvent, RoundView } from '../../common/rounds';
import { recordAudit } from '../audit/audit';
import { requireMembership, requireRole } from '../documents/access';
import { AppError } from '../errors';
import { changeStatusLocked } from '../workflow/workflow';
import type { MailLinks } from '../mail/links';
import { notifyRound } from './notify';
import { defaultReminderClock, reminderTimes, type ReminderClock } from './reminders';
import type { OpenRoundInput, RoundResponseInput } from './schemas';
import { roundsOf, roundViews } from './views';

/**
 * Consultation rounds (issue 13): editors open a round (the document moves to review), reviewers answer and may
 * change their answer until the round closes, at its due date (server/rounds/deadlines.ts) or early by an editor
 * or the chair. Every change is audited and sent to the document's open pages as a type-102 event.
 */
export interface RoundsDeps {
  db: Database;
  live: {
    setStatus(documentId: string, status: 'review'): void;
    broadcast(documentId: string, message: Uint8Array): void;
  };
  /** Links in the round's mails (known once the server listens). */
  links: () => MailLinks;
  /** Mail was queued: the sender may run now rather than at its next poll. */
  mailQueued?: () => void;
  /** A round was opened: the text it asks about is kept as a named version (to compare with at sign-off). */
  versionAtOpen?: (userId: string, documentId: string) => Promise<unknown>;
  /** A round was opened: its deadline timer may need to fire sooner. */
  scheduled?: (dueAt: Date) => void;
  /** When reminders go out (tests use the defaults and move the clock instead). */
  reminders?: ReminderClock;
  log?: (message: string, err: unknown) => void;
}

const roundNotFound = () => new AppError('not_found:round', 'Round not found.');
const roundClosed = () => new AppError('conflict:round_closed', 'This round is closed.');
/** The roles asked by default: the municipalities (commenters) and the chair. */
const defaultReviewerRoles = ['commenter', 'chair'] as const;

async function lockRound(tx: Executor, documentId: string, roundId: string): Promise<Round> {
  const [round] = await tx
    .select()
    .from(rounds)
    .where(and(eq(rounds.id, roundId), eq(rounds.documentId, documentId)))
    .for('update');
  if (!round) throw roundNotFound();
  return round;
}

async function editorsOf(tx: Executor, documentId: string): Promise<string[]> {
  const rows = await tx
    .select({ userId: documentMembers.userId })
    .from(documentMembers)
    .where(and(eq(documentMembers.documentId, documentId), eq(documentMembers.role, 'editor')));
  return rows.map((r) => r.userId);
}

/** Closes a round inside the caller's transaction (row locked by the caller): audited, editors told. */
async function closeLocked(
  tx: Executor,
  links: MailLinks,
  round: Round,
  by: { userId: string | null; reason: 'due' | 'manual' | 'ready' },
) {
  await tx
    .update(rounds)
    .set({ status: 'closed', closedAt: new Date(), closedBy: by.userId, closedReason: by.reason })
    .where(eq(rounds.id, round.id));
  await recordAudit(tx, {
    actorId: by.userId,
    action: 'round.closed',
    documentId: round.documentId,
    details: { roundId: round.id, reason: by.reason },
  });
  await notifyRound(tx, links, { kind: 'closed', round, to: await editorsOf(tx, round.documentId) });
}

export function createRounds(deps: RoundsDeps) {
  const { db, live, scheduled, links, mailQueued = () => {}, log = console.error } = deps;
  const reminderClock = deps.reminders ?? defaultReminderClock;
  async function viewOf(roundId: string): Promise<RoundView> {
    const [view] = await roundViews(db, await db.select().from(rounds).where(eq(rounds.id, roundId)));
    if (!view) throw roundNotFound();
    return view;
  }

  /** After the change committed; a failed send never undoes it (a page that missed it reloads the rounds). */
  async function announce(type: RoundEvent['type'], roundId: string, actorId: string | null): Promise<RoundView> {
    const round = await viewOf(roundId);
    try {
      live.broadcast(round.documentId, jsonMessage(messageType.rounds, { type, round, actorId } satisfies RoundEvent));
    } catch (err) {
      log(`[rounds] broadcasting ${type} of ${roundId} failed`, err);
    }
    return round;
  }

  return {
    async open(userId: string, documentId: string, input: OpenRoundInput): Promise<RoundView> {
      await requireRole(db, documentId, userId, roundOpenerRoles, 'open a round');
      if (input.dueAt.getTime() <= Date.now()) throw new AppError('invalid:due_at', 'The due date is in the past.');
      const { roundId, movedToReview } = await db.transaction(async (tx) => {
        const [doc] = await tx
          .select({ status: documents.status })
          .from(documents)
          .where(eq(documents.id, documentId))
          .for('update');
        if (!doc || !roundOpenableStatuses.includes(doc.status)) {
          throw new AppError('conflict:status', 'A round needs a draft or a document in review.');
        }
        const [open] = await tx
          .select({ id: rounds.id })
          .from(rounds)
          .where(and(eq(rounds.documentId, documentId), eq(rounds.status, 'open')));
        if (open) throw new AppError('conflict:round_open', 'A round is already open.');
        const members = await tx.select().from(documentMembers).where(eq(documentMembers.documentId, documentId));
        let reviewerIds: string[];
        if (input.reviewerIds) {
          reviewerIds = [...new Set(input.reviewerIds)];
          const invalid = reviewerIds.filter(
            (id) =>
              !members.some((m) => m.userId === id && (defaultReviewerRoles as readonly string[]).includes(m.role)),
          );
          if (invalid.length) {
            throw new AppError('invalid:reviewers', 'Reviewers must be commenters or the chair.', {
              details: { userIds: invalid },
            });
          }
        } else {
          reviewerIds = members
            .filter((m) => (defaultReviewerRoles as readonly string[]).includes(m.role))
            .map((m) => m.userId);
        }
        if (!reviewerIds.length) throw new AppError('invalid:reviewers', 'Nobody to ask.');
        const [round] = await tx
          .insert(rounds)
          .values({ documentId, question: input.question, dueAt: input.dueAt, openedBy: userId })
          .returning();
        await tx.insert(roundReviewers).values(reviewerIds.map((id) => ({ roundId: round!.id, userId: id })));
        const moved = doc.status === 'draft';
        if (moved) await changeStatusLocked(tx, userId, documentId, 'review');
        await recordAudit(tx, {
          actorId: userId,
          action: 'round.opened',
          documentId,
          details: { roundId: round!.id, dueAt: input.dueAt.toISOString(), reviewers: reviewerIds },
        });
        await notifyRound(tx, links(), { kind: 'request', round: round!, to: reviewerIds });
        return { roundId: round!.id, movedToReview: moved };
      });
      mailQueued();
      if (movedToReview) live.setStatus(documentId, 'review');
      await deps
        .versionAtOpen?.(userId, documentId)
        .catch((err: unknown) => log(`[rounds] version at opening failed`, err));
      scheduled?.(input.dueAt);
      return announce('round.opened', roundId, userId);
    },

    async respond(userId: string, documentId: string, roundId: string, input: RoundResponseInput): Promise<RoundView> {
      await db.transaction(async (tx) => {
        await requireMembership(tx, documentId, userId);
        const round = await lockRound(tx, documentId, roundId);
        const [reviewer] = await tx
          .select()
          .from(roundReviewers)
          .where(and(eq(roundReviewers.roundId, roundId), eq(roundReviewers.userId, userId)));
        if (!reviewer) throw new AppError('forbidden:round', 'You are not a reviewer in this round.');
        if (round.status === 'closed') throw roundClosed();
        const remark = input.remark || null;
        await tx
          .update(roundReviewers)
          .set({ position: input.position, remark, respondedAt: new Date() })
          .where(and(eq(roundReviewers.roundId, roundId), eq(roundReviewers.userId, userId)));
        await recordAudit(tx, {
          actorId: userId,
          action: 'round.responded',
          documentId,
          details: { roundId, position: input.position, changed: reviewer.position !== null },
        });
        const [waiting] = await tx
          .select({ n: sql<number>`count(*)::int` })
          .from(roundReviewers)
          .where(and(eq(roundReviewers.roundId, roundId), isNull(roundReviewers.position)));
        if (!waiting?.n && !round.allAnsweredAt) {
          await tx.update(rounds).set({ allAnsweredAt: new Date() }).where(eq(rounds.id, roundId));
          await notifyRound(tx, links(), { kind: 'all_answered', round, to: await editorsOf(tx, documentId) });
        }
      });
      mailQueued();
      return announce('round.response', roundId, userId);
    },

    async close(userId: string, documentId: string, roundId: string): Promise<RoundView> {
      await requireRole(db, documentId, userId, roundCloserRoles, 'close a round');
      await db.transaction(async (tx) => {
        const round = await lockRound(tx, documentId, roundId);
        if (round.status === 'closed') throw roundClosed();
        await closeLocked(tx, links(), round, { userId, reason: 'manual' });
      });
      mailQueued();
      return announce('round.closed', roundId, userId);
    },

    async get(userId: string, documentId: string, roundId: string): Promise<RoundView> {
      await requireMembership(db, documentId, userId);
      const [round] = await db
        .select()
        .from(rounds)
        .where(and(eq(rounds.id, roundId), eq(rounds.documentId, documentId)));
      if (!round) throw roundNotFound();
      return (await roundViews(db, [round]))[0]!;
    },

    /** Newest first; every member (viewers too) reads them. */
    async list(userId: string, documentId: string): Promise<RoundView[]> {
      await requireMembership(db, documentId, userId);
      return roundsOf(db, documentId);
    },

    /**
     * Closes every open round whose due date passed, once across processes: each is locked with SKIP LOCKED, so a
     * process that finds a row taken leaves it to the one that took it. Returns how many this call closed.
     */
    async closeOverdue(now = new Date()): Promise<number> {
      const closed = await db.transaction(async (tx) => {
        const due = await tx
          .select()
          .from(rounds)
          .where(and(eq(rounds.status, 'open'), lte(rounds.dueAt, now)))
          .limit(100)
          .for('update', { skipLocked: true });
        for (const round of due) await closeLocked(tx, links(), round, { userId: null, reason: 'due' });
        return due.map((r) => r.id);
      });
      if (closed.length) mailQueued();
      for (const id of closed) await announce('round.closed', id, null);
      return closed.length;
    },

    /**
     * Reminds the reviewers of open rounds who have not answered, when a reminder's moment (server/rounds/reminders.ts)
     * has come. Only the latest due reminder of a round counts: after a long outage the reviewers get the one for
     * today, not both at once. Each round is locked (SKIP LOCKED: another process has it), and `notifyRound` queues
     * a kind once per person. Returns the number of mails queued.
     */
    async sendDueReminders(now = new Date()): Promise<number> {
      const open = await db.select().from(rounds).where(eq(rounds.status, 'open'));
      let queued = 0;
      for (const candidate of open) {
        const reminder = reminderTimes(candidate, reminderClock)
          .filter((r) => r.at <= now)
          .at(-1);
        if (!reminder) continue;
        queued += await db.transaction(async (tx) => {
          const [round] = await tx
            .select()
            .from(rounds)
            .where(and(eq(rounds.id, candidate.id), eq(rounds.status, 'open')))
            .for('update', { skipLocked: true });
          if (!round) return 0;
          const waiting = await tx
            .select({ userId: roundReviewers.userId })
            .from(roundReviewers)
            .where(and(eq(roundReviewers.roundId, round.id), isNull(roundReviewers.position)));
          const to = waiting.map((w) => w.userId);
          return (await notifyRound(tx, links(), { kind: reminder.kind, round, to })).length;
        });
      }
      if (queued) mailQueued();
      return queued;
    },

    /** The next moment the round timer has work: the earliest due date or reminder after `now` of an open round. */
    async nextDue(now = new Date()): Promise<Date | undefined> {
      const open = await db.select().from(rounds).where(eq(rounds.status, 'open'));
      const moments = open.flatMap((r) => [
        r.dueAt.getTime(),
        ...reminderTimes(r, reminderClock)
          .map((p) => p.at.getTime())
          .filter((t) => t > now.getTime()),
      ]);
      return moments.length ? new Date(Math.min(...moments)) : undefined;
    },

    /**
     * The document moves to `ready` (server/workflow): its open round closes in that transaction, reason `ready`.
     * Returns the closed round's id, to announce once the transaction committed.
     */
    async closeOpenLocked(tx: Executor, userId: string, documentId: string): Promise<string | null> {
      const [round] = await tx
        .select()
        .from(rounds)
        .where(and(eq(rounds.documentId, documentId), eq(rounds.status, 'open')))
        .for('update');
      if (!round) return null;
      await closeLocked(tx, links(), round, { userId, reason: 'ready' });
      return round.id;
    },

    async announceClosed(roundId: string, userId: string) {
      mailQueued();
      return announce('round.closed', roundId, userId);
    },

    /** For the sign-off dialog: the open round's reviewers who have not answered. */
    async openRoundOf(documentId: string): Promise<RoundView | undefined> {
      const [round] = await db
        .select()
        .from(rounds)
        .where(and(eq(rounds.documentId, documentId), eq(rounds.status, 'open')));
      return round ? (await roundViews(db, [round]))[0] : undefined;
    },
  };
}

export type Rounds = ReturnType<typeof createRounds>;
