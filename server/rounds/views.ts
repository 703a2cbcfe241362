import { asc, desc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { roundReviewers, rounds, users, type Round } from '../../db/schema';
import { roundPositions, type RoundView } from '../../common/rounds';

/** Rounds as the API and the round panel show them: per reviewer their answer (or none yet), and counts. */
export async function roundViews(db: Executor, list: Round[]): Promise<RoundView[]> {
  if (!list.length) return [];
  const ids = list.map((r) => r.id);
  const reviewerRows = await db
    .select({ r: roundReviewers, name: users.name, organisation: users.organisation })
    .from(roundReviewers)
    .innerJoin(users, eq(users.id, roundReviewers.userId))
    .where(inArray(roundReviewers.roundId, ids))
    .orderBy(asc(users.organisation), asc(users.name));
  const openerIds = [...new Set(list.map((r) => r.openedBy).filter((id): id is string => !!id))];
  const openers = openerIds.length
    ? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, openerIds))
    : [];
  return list.map((round) => {
    const reviewers = reviewerRows
      .filter((row) => row.r.roundId === round.id)
      .map((row) => ({
        user: { id: row.r.userId, name: row.name, organisation: row.organisation },
        position: row.r.position,
        remark: row.r.remark,
        respondedAt: row.r.respondedAt?.toISOString() ?? null,
      }));
    const counts = Object.fromEntries([...roundPositions, 'none'].map((p) => [p, 0])) as RoundView['counts'];
    for (const r of reviewers) counts[r.position ?? 'none']++;
    return {
      id: round.id,
      documentId: round.documentId,
      question: round.question,
      dueAt: round.dueAt.toISOString(),
      status: round.status,
      openedBy: openers.find((o) => o.id === round.openedBy) ?? null,
      createdAt: round.createdAt.toISOString(),
      closedAt: round.closedAt?.toISOString() ?? null,
      closedReason: round.closedReason,
      reviewers,
      counts,
    };
  });
}

export async function roundsOf(db: Executor, documentId: string): Promise<RoundView[]> {
  return roundViews(
    db,
    await db.select().from(rounds).where(eq(rounds.documentId, documentId)).orderBy(desc(rounds.createdAt)),
  );
}
