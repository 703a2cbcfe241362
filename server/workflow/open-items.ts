import { and, asc, desc, eq, gte, isNull, lte } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { commentThreads, documentVersions, roundReviewers, rounds, users } from '../../db/schema';
import type { OpenItems } from '../../common/api/sign-off';

/**
 * The open items of `common/api/sign-off.ts`, read from the database.
 * Computed by the server for the sign-off dialog and again inside the sign-off's transaction for its audit event,
 * so the record never depends on what a browser claims. Open suggestions join this list when they exist.
 */
export async function openItemsOf(db: Executor, documentId: string): Promise<OpenItems> {
  const threads = await db
    .select({ id: commentThreads.id })
    .from(commentThreads)
    .where(and(eq(commentThreads.documentId, documentId), eq(commentThreads.status, 'open')));
  const [latest] = await db
    .select()
    .from(rounds)
    .where(eq(rounds.documentId, documentId))
    .orderBy(desc(rounds.createdAt))
    .limit(1);
  let round: OpenItems['round'] = null;
  if (latest) {
    const waiting = await db
      .select({ id: users.id, name: users.name, organisation: users.organisation })
      .from(roundReviewers)
      .innerJoin(users, eq(users.id, roundReviewers.userId))
      .where(and(eq(roundReviewers.roundId, latest.id), isNull(roundReviewers.position)))
      .orderBy(asc(users.organisation), asc(users.name));
    round = { id: latest.id, status: latest.status, dueAt: latest.dueAt.toISOString(), notAnswered: waiting };
  }
  // The version named when the round opened (server/rounds `versionAtOpen`), else the newest one before it.
  const [version] = latest
    ? [
        ...(await db
          .select({ id: documentVersions.id })
          .from(documentVersions)
          .where(
            and(
              eq(documentVersions.documentId, documentId),
              eq(documentVersions.kind, 'named'),
              gte(documentVersions.createdAt, latest.createdAt),
            ),
          )
          .orderBy(asc(documentVersions.createdAt))
          .limit(1)),
        ...(await db
          .select({ id: documentVersions.id })
          .from(documentVersions)
          .where(and(eq(documentVersions.documentId, documentId), lte(documentVersions.createdAt, latest.createdAt)))
          .orderBy(desc(documentVersions.createdAt))
          .limit(1)),
      ]
    : [];
  return { threads: threads.length, round, roundVersionId: version?.id ?? null };
}
