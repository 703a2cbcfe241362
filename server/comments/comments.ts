import { eq } from 'drizzle-orm';
import type * as Y from 'yjs';
import type { Database, Executor } from '../../db/client';
import { comments, commentThreads, notifications } from '../../db/schema';
import { loadDocument } from '../collab/persistence';
import { jsonMessage, messageType } from '../../common/protocol';
import { requireMembership } from '../documents/access';
import { AppError } from '../errors';
import { findComment, findThread, requireCommentWriter, requireMemberMentions, resolverRoles } from './access';
import { decodeAnchor, normaliseAnchor } from './anchors';
import { mailMentions, mailReply, mailThreadStatus } from '../mail/notify';
import { statusChange, type CommentEvent } from './events';
import type { CommentInput, CommentPageQuery, CreateThreadInput, ThreadPageQuery } from './schemas';
import { commentPage, commentViewOf, threadViews, type CommentView, type Page, type ThreadView } from './views';

/** What comments need of the collaboration server: the live document, and its connections for events. */
export interface LiveDocuments {
  withDocument<T>(documentId: string, fn: (doc: { ydoc: Y.Doc }) => T | Promise<T>): Promise<T | undefined>;
  broadcast(documentId: string, message: Uint8Array): void;
}

/** Comment threads of documents: plain functions over the database, each authorising its caller first. */
export function createComments({
  db,
  collab: live,
  log = console.error,
}: {
  db: Database;
  collab?: LiveDocuments;
  log?: (message: string, err: unknown) => void;
}) {
  /** The live document if the collaboration server has it (or can load it); the stored state otherwise. */
  async function withYDoc<T>(documentId: string, fn: (ydoc: Y.Doc) => T | Promise<T>): Promise<T> {
    if (live) {
      const result = await live.withDocument(documentId, async (doc) => ({ value: await fn(doc.ydoc) }));
      if (result) return result.value;
    }
    const loaded = await loadDocument(db, documentId);
    if (!loaded) throw new AppError('not_found:document', 'Document not found.');
    try {
      return await fn(loaded.ydoc);
    } finally {
      loaded.ydoc.destroy();
    }
  }

  /** One thread with its anchor resolved on the live document (loaded for a moment if nobody has it open). */
  async function viewOf(documentId: string, threadId: string): Promise<ThreadView> {
    const {
      items: [view],
    } = await withYDoc(documentId, (ydoc) => threadViews(db, documentId, { threadId, ydoc }));
    if (!view) throw new AppError('not_found:thread', 'Thread not found.');
    return view;
  }

  /**
   * After the change committed: everyone with the document open hears of it, through an event that carries the
   * change only (server/comments/events.ts). The caller gets the thread view for its HTTP answer. A failed send
   * never undoes the write; a client that missed an event reloads the threads when it synchronises again.
   */
  async function committed(
    documentId: string,
    threadId: string,
    describe: (thread: ThreadView) => CommentEvent | Promise<CommentEvent>,
  ) {
    const thread = await viewOf(documentId, threadId);
    if (live) {
      try {
        live.broadcast(documentId, jsonMessage(messageType.comments, await describe(thread)));
      } catch (err) {
        log(`[comments] broadcasting a change of thread ${threadId} on ${documentId} failed`, err);
      }
    }
    return thread;
  }

  async function commentOf(commentId: string): Promise<CommentView> {
    const comment = await commentViewOf(db, commentId);
    if (!comment) throw new AppError('not_found:comment', 'Comment not found.');
    return comment;
  }

  async function notifyMentions(
    tx: Executor,
    actorId: string,
    documentId: string,
    threadId: string,
    commentId: string,
    userIds: string[],
  ) {
    const targets = userIds.filter((id) => id !== actorId);
    if (targets.length)
      await tx
        .insert(notifications)
        .values(targets.map((userId) => ({ userId, documentId, threadId, commentId, kind: 'mention' as const })));
    await mailMentions(tx, { actorId, documentId, threadId, commentId }, targets); // same transaction: no mail without the comment
    return targets;
  }

  async function changeStatus(actorId: string, documentId: string, threadId: string, status: 'open' | 'resolved') {
    await db.transaction(async (tx) => {
      const { role } = await requireCommentWriter(tx, documentId, actorId);
      const thread = await findThread(tx, documentId, threadId);
      if (!resolverRoles.includes(role) && thread.createdBy !== actorId) {
        throw new AppError('forbidden:thread', 'Only editors, the chair and the thread’s author may do this.');
      }
      await tx
        .update(commentThreads)
        .set(
          status === 'resolved'
            ? { status, resolvedBy: actorId, resolvedAt: new Date() }
            : { status, resolvedBy: null, resolvedAt: null },
        )
        .where(eq(commentThreads.id, threadId));
      if (thread.status !== status) await mailThreadStatus(tx, { actorId, documentId, threadId }, thread, status);
    });
    const type = status === 'resolved' ? 'thread.resolved' : 'thread.reopened';
    return committed(documentId, threadId, (thread) => ({ type, ...statusChange(thread), actorId, mentioned: [] }));
  }

  /** The author edits or deletes their own comment, while they may still write on the document. */
  async function changeOwnComment(
    actorId: string,
    documentId: string,
    threadId: string,
    commentId: string,
    input: CommentInput | null,
  ) {
    const mentioned = await db.transaction(async (tx) => {
      await requireCommentWriter(tx, documentId, actorId);
      await findThread(tx, documentId, threadId);
      const comment = await findComment(tx, threadId, commentId);
      if (comment.authorId !== actorId) {
        throw new AppError('forbidden:comment', 'Only the author may change a comment.');
      }
      if (comment.deletedAt) throw new AppError('conflict:comment_deleted', 'This comment was deleted.');
      if (!input) {
        await tx
          .update(comments)
          .set({ body: '', mentions: [], deletedAt: new Date() })
          .where(eq(comments.id, commentId));
        await tx.delete(notifications).where(eq(notifications.commentId, commentId));
        return [];
      }
      await requireMemberMentions(tx, documentId, input.mentions);
      await tx
        .update(comments)
        .set({ body: input.body, mentions: input.mentions, editedAt: new Date() })
        .where(eq(comments.id, commentId));
      const added = input.mentions.filter((id) => !comment.mentions.includes(id));
      return notifyMentions(tx, actorId, documentId, threadId, commentId, added);
    });
    const type = input ? 'comment.edited' : 'comment.deleted';
    return committed(documentId, threadId, async () => ({
      type,
      threadId,
      comment: await commentOf(commentId),
      actorId,
      mentioned,
    }));
  }

  return {
    /** Every member, viewers included, reads the threads, a page at a time; non-members get 404. */
    async list(userId: string, documentId: string, query: ThreadPageQuery): Promise<Page<ThreadView>> {
      await requireMembership(db, documentId, userId);
      return withYDoc(documentId, (ydoc) =>
        threadViews(db, documentId, { ydoc, filter: query.status, after: query.cursor, limit: query.limit }),
      );
    },

    /** A page of one thread's comments, for threads longer than their view shows. */
    async comments(
      userId: string,
      documentId: string,
      threadId: string,
      query: CommentPageQuery,
    ): Promise<Page<CommentView>> {
      await requireMembership(db, documentId, userId);
      await findThread(db, documentId, threadId);
      return commentPage(db, threadId, { after: query.cursor, limit: query.limit });
    },

    async get(userId: string, documentId: string, threadId: string): Promise<ThreadView> {
      await requireMembership(db, documentId, userId);
      await findThread(db, documentId, threadId);
      return viewOf(documentId, threadId);
    },

    /** A new thread on a passage, with its first comment. */
    async create(actorId: string, documentId: string, input: CreateThreadInput): Promise<ThreadView> {
      await requireCommentWriter(db, documentId, actorId); // fail fast (404/403/409) before touching the live document
      const start = decodeAnchor(input.anchor.start);
      const end = decodeAnchor(input.anchor.end);
      const anchor = await withYDoc(documentId, (ydoc) => normaliseAnchor(ydoc, start, end));
      const { threadId, mentioned } = await db.transaction(async (tx) => {
        await requireCommentWriter(tx, documentId, actorId);
        await requireMemberMentions(tx, documentId, input.mentions);
        const [thread] = await tx
          .insert(commentThreads)
          .values({ documentId, ...anchor, createdBy: actorId, suggestionId: input.suggestionId ?? null })
          .returning({ id: commentThreads.id });
        const [comment] = await tx
          .insert(comments)
          .values({ threadId: thread!.id, authorId: actorId, body: input.body, mentions: input.mentions })
          .returning({ id: comments.id });
        return {
          threadId: thread!.id,
          mentioned: await notifyMentions(tx, actorId, documentId, thread!.id, comment!.id, input.mentions),
        };
      });
      return committed(documentId, threadId, (thread) => ({ type: 'thread.created', thread, actorId, mentioned }));
    },

    async reply(actorId: string, documentId: string, threadId: string, input: CommentInput): Promise<ThreadView> {
      const { commentId, mentioned } = await db.transaction(async (tx) => {
        await requireCommentWriter(tx, documentId, actorId);
        await findThread(tx, documentId, threadId);
        await requireMemberMentions(tx, documentId, input.mentions);
        const [comment] = await tx
          .insert(comments)
          .values({ threadId, authorId: actorId, body: input.body, mentions: input.mentions })
          .returning({ id: comments.id });
        await tx.update(commentThreads).set({ updatedAt: new Date() }).where(eq(commentThreads.id, threadId));
        const mentioned = await notifyMentions(tx, actorId, documentId, threadId, comment!.id, input.mentions);
        await mailReply(tx, { actorId, documentId, threadId, commentId: comment!.id, body: input.body }, mentioned);
        return { commentId: comment!.id, mentioned };
      });
      return committed(documentId, threadId, async (thread) => ({
        type: 'comment.added',
        threadId,
        comment: await commentOf(commentId),
        commentCount: thread.commentCount,
        updatedAt: thread.updatedAt,
        actorId,
        mentioned,
      }));
    },

    edit: (actorId: string, documentId: string, threadId: string, commentId: string, input: CommentInput) =>
      changeOwnComment(actorId, documentId, threadId, commentId, input),
    remove: (actorId: string, documentId: string, threadId: string, commentId: string) =>
      changeOwnComment(actorId, documentId, threadId, commentId, null),
    resolve: (actorId: string, documentId: string, threadId: string) =>
      changeStatus(actorId, documentId, threadId, 'resolved'),
    reopen: (actorId: string, documentId: string, threadId: string) =>
      changeStatus(actorId, documentId, threadId, 'open'),
  };
}

export type Comments = ReturnType<typeof createComments>;
