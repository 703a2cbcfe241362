import { and, asc, eq, getTableColumns, inArray, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type * as Y from 'yjs';
import type { Executor } from '../../db/client';
import { comments, commentThreads, users, type Comment, type CommentThread } from '../../db/schema';
import type { CommentView as CommentViewOf, PersonView, ThreadView as ThreadViewOf } from '../../common/api/comments';
import { anchorResolver, anchorToBase64, type AnchorState } from './anchors';
import { commentsShownPerThread, encodeCursor, threadsPerPage, type PageKey, type ThreadFilter } from './schemas';

export type { PersonView } from '../../common/api/comments';
/** The views as the server builds them, with `Date`s (JSON turns them into ISO strings). */
export type CommentView = CommentViewOf<Date>;
export type ThreadView = ThreadViewOf<Date>;

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; `null` on the last page. */
  nextCursor: string | null;
}

/** Name and organisation of each person, for views. */
export async function people(db: Executor, ids: (string | null)[]): Promise<Map<string, PersonView>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (!wanted.length) return new Map();
  const rows = await db
    .select({ id: users.id, name: users.name, organisation: users.organisation })
    .from(users)
    .where(inArray(users.id, wanted));
  return new Map(rows.map((r) => [r.id, r]));
}

const commentView = (c: Comment, who: Map<string, PersonView>): CommentView => ({
  id: c.id,
  threadId: c.threadId,
  author: (c.authorId && who.get(c.authorId)) || null,
  body: c.deletedAt ? null : c.body,
  mentions: c.deletedAt ? [] : c.mentions,
  createdAt: c.createdAt,
  editedAt: c.editedAt,
  deletedAt: c.deletedAt,
});

/**
 * The paging key of a row: its creation time as exact ISO text in UTC. A JS Date keeps milliseconds only, and
 * PostgreSQL stores microseconds, so a Date cursor would return rows of the same millisecond twice.
 */
const pageKeyTime = (column: AnyColumn) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const after = (createdAt: AnyColumn, id: AnyColumn, key: PageKey | undefined): SQL | undefined =>
  key ? sql`(${createdAt}, ${id}) > (${key.t}::timestamptz, ${key.id}::uuid)` : undefined;

/** `limit + 1` rows were read: the extra one only tells that there is a next page. */
function toPage<T>(rows: { key: string; id: string }[], items: T[], limit: number): Page<T> {
  const last = rows[limit - 1];
  return {
    items: items.slice(0, limit),
    nextCursor: rows.length > limit && last ? encodeCursor({ t: last.key, id: last.id }) : null,
  };
}

/**
 * The comments a thread view shows: per thread the first one and the latest `commentsShownPerThread - 1`, with the
 * thread's total; one query for a whole page of threads.
 */
async function shownComments(db: Executor, threadIds: string[]) {
  const ranked = db
    .select({
      ...getTableColumns(comments),
      rank: sql<number>`(row_number() over (partition by ${comments.threadId} order by ${comments.createdAt}, ${comments.id}))::int`.as(
        'rank',
      ),
      total: sql<number>`(count(*) over (partition by ${comments.threadId}))::int`.as('total'),
    })
    .from(comments)
    .where(inArray(comments.threadId, threadIds))
    .as('ranked');
  const rows = await db
    .select()
    .from(ranked)
    .where(or(eq(ranked.rank, 1), sql`${ranked.rank} > ${ranked.total} - ${commentsShownPerThread - 1}`))
    .orderBy(asc(ranked.createdAt), asc(ranked.id));
  const totals = new Map(rows.map((r) => [r.threadId, Number(r.total)]));
  return { rows: rows.map(({ rank: _rank, total: _total, ...comment }) => comment as Comment), totals };
}

/**
 * One page of a document's threads in creation order, each with the comments it shows. Within the page the threads
 * are put in document order (detached last) when `ydoc`, the live document, is given to resolve the anchors.
 */
export async function threadViews(
  db: Executor,
  documentId: string,
  options: { ydoc?: Y.Doc; filter?: ThreadFilter; threadId?: string; after?: PageKey; limit?: number } = {},
): Promise<Page<ThreadView>> {
  const limit = options.limit ?? (options.threadId ? 1 : threadsPerPage.default);
  const conditions = [
    eq(commentThreads.documentId, documentId),
    after(commentThreads.createdAt, commentThreads.id, options.after),
  ];
  if (options.threadId) conditions.push(eq(commentThreads.id, options.threadId));
  if (options.filter && options.filter !== 'all') conditions.push(eq(commentThreads.status, options.filter));
  const rows = await db
    .select({ thread: commentThreads, key: pageKeyTime(commentThreads.createdAt) })
    .from(commentThreads)
    .where(and(...conditions))
    .orderBy(asc(commentThreads.createdAt), asc(commentThreads.id))
    .limit(limit + 1);
  const threads = rows.slice(0, limit).map((r) => r.thread);
  if (!threads.length) return { items: [], nextCursor: null };
  const shown = await shownComments(
    db,
    threads.map((t) => t.id),
  );
  const who = await people(db, [
    ...threads.flatMap((t) => [t.createdBy, t.resolvedBy]),
    ...shown.rows.map((c) => c.authorId),
  ]);
  const resolve = options.ydoc ? anchorResolver(options.ydoc) : undefined;
  const views = threads.map((t, i): ThreadView => {
    const state: AnchorState = resolve?.(t.anchorStart, t.anchorEnd) ?? { position: i, detached: false, text: t.quote };
    return {
      id: t.id,
      documentId: t.documentId,
      anchor: { start: anchorToBase64(t.anchorStart), end: anchorToBase64(t.anchorEnd) },
      quote: t.quote,
      suggestionId: t.suggestionId,
      status: t.status,
      detached: state.detached,
      position: state.position,
      createdBy: (t.createdBy && who.get(t.createdBy)) || null,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
      resolvedBy: (t.resolvedBy && who.get(t.resolvedBy)) || null,
      resolvedAt: t.resolvedAt,
      commentCount: shown.totals.get(t.id) ?? 0,
      comments: shown.rows.filter((c) => c.threadId === t.id).map((c) => commentView(c, who)),
    };
  });
  // Attached threads in document order, then the detached ones (where a deleted paragraph was is not known any
  // more once Yjs collects it). Array.prototype.sort is stable: ties stay in creation order.
  views.sort((a, b) => Number(a.detached) - Number(b.detached) || (a.detached ? 0 : a.position - b.position));
  return toPage(
    rows.map((r) => ({ key: r.key, id: r.thread.id })),
    views,
    limit,
  );
}

/** One page of a thread's comments in creation order (the order a thread shows them). */
export async function commentPage(
  db: Executor,
  threadId: string,
  page: { after?: PageKey; limit: number },
): Promise<Page<CommentView>> {
  const rows = await db
    .select({ comment: comments, key: pageKeyTime(comments.createdAt) })
    .from(comments)
    .where(and(eq(comments.threadId, threadId), after(comments.createdAt, comments.id, page.after)))
    .orderBy(asc(comments.createdAt), asc(comments.id))
    .limit(page.limit + 1);
  const shown = rows.slice(0, page.limit).map((r) => r.comment);
  const who = await people(
    db,
    shown.map((c) => c.authorId),
  );
  return toPage(
    rows.map((r) => ({ key: r.key, id: r.comment.id })),
    shown.map((c) => commentView(c, who)),
    page.limit,
  );
}

/** One comment as threads show it, for the event that announces it. */
export async function commentViewOf(db: Executor, commentId: string): Promise<CommentView | undefined> {
  const [comment] = await db.select().from(comments).where(eq(comments.id, commentId));
  if (!comment) return undefined;
  return commentView(comment, await people(db, [comment.authorId]));
}
