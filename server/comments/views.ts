import { and, asc, eq, inArray } from 'drizzle-orm';
import type * as Y from 'yjs';
import type { Executor } from '../../db/client';
import { comments, commentThreads, users, type Comment, type CommentThread } from '../../db/schema';
import { anchorResolver, anchorToBase64, type AnchorState } from './anchors';
import type { ThreadFilter } from './schemas';

/** A person as a thread shows them: name and municipality (the user's organisation). */
export interface PersonView {
  id: string;
  name: string;
  organisation: string | null;
}

export interface CommentView {
  id: string;
  threadId: string;
  author: PersonView | null;
  /** `null` once deleted: the thread shows "verwijderd" in its place. */
  body: string | null;
  mentions: string[];
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
}

export interface ThreadView {
  id: string;
  documentId: string;
  /** Base64 `Y.encodeRelativePosition` of the passage's first and last character. */
  anchor: { start: string; end: string };
  quote: string;
  status: CommentThread['status'];
  /** The passage was deleted; the thread keeps its quote. */
  detached: boolean;
  /** Offset in document order, for sorting; equal for threads on the same spot. */
  position: number;
  createdBy: PersonView | null;
  createdAt: Date;
  updatedAt: Date;
  resolvedBy: PersonView | null;
  resolvedAt: Date | null;
  comments: CommentView[];
}

async function people(db: Executor, ids: (string | null)[]): Promise<Map<string, PersonView>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (!wanted.length) return new Map();
  const rows = await db.select({ id: users.id, name: users.name, organisation: users.organisation }).from(users).where(inArray(users.id, wanted));
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
 * Threads of a document with their comments, in document order, detached threads last.
 * With `ydoc` (the live document) the anchors are resolved; without it, threads keep their creation order.
 */
export async function threadViews(
  db: Executor,
  documentId: string,
  options: { ydoc?: Y.Doc; filter?: ThreadFilter; threadId?: string } = {},
): Promise<ThreadView[]> {
  const conditions = [eq(commentThreads.documentId, documentId)];
  if (options.threadId) conditions.push(eq(commentThreads.id, options.threadId));
  if (options.filter && options.filter !== 'all') conditions.push(eq(commentThreads.status, options.filter));
  const threads = await db.select().from(commentThreads).where(and(...conditions)).orderBy(asc(commentThreads.createdAt));
  if (!threads.length) return [];
  const rows = await db
    .select()
    .from(comments)
    .where(inArray(comments.threadId, threads.map((t) => t.id)))
    .orderBy(asc(comments.createdAt), asc(comments.id));
  const who = await people(db, [...threads.flatMap((t) => [t.createdBy, t.resolvedBy]), ...rows.map((c) => c.authorId)]);
  const resolve = options.ydoc ? anchorResolver(options.ydoc) : undefined;
  const views = threads.map((t, i) => {
    const state: AnchorState = resolve?.(t.anchorStart, t.anchorEnd) ?? { position: i, detached: false, text: t.quote };
    return {
      id: t.id,
      documentId: t.documentId,
      anchor: { start: anchorToBase64(t.anchorStart), end: anchorToBase64(t.anchorEnd) },
      quote: t.quote,
      status: t.status,
      detached: state.detached,
      position: state.position,
      createdBy: (t.createdBy && who.get(t.createdBy)) || null,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
      resolvedBy: (t.resolvedBy && who.get(t.resolvedBy)) || null,
      resolvedAt: t.resolvedAt,
      comments: rows.filter((c) => c.threadId === t.id).map((c) => commentView(c, who)),
    };
  });
  // Attached threads in document order, then the detached ones (where a deleted paragraph was is not known any
  // more once Yjs collects it). Array.prototype.sort is stable: ties stay in creation order.
  return views.sort((a, b) => Number(a.detached) - Number(b.detached) || (a.detached ? 0 : a.position - b.position));
}
