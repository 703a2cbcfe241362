import { asc, eq, inArray } from 'drizzle-orm';
import { translator, type Locale } from '../../common/i18n';
import type { Database } from '../../db/client';
import { comments, commentThreads, documentMembers, users } from '../../db/schema';
import type { RenderRequest } from './render';

/**
 * What a Word export with tracked changes needs from the database, read on the main thread (the worker only
 * renders): the document's comment threads with their comments, and the names of the people who may appear as
 * authors — the members and everyone who wrote a comment. A suggestion by someone who is neither (a former member)
 * is written with the author "Onbekend" (unknown). Texts are in the exporting person's language.
 */
export async function wordAnnotations(
  db: Database,
  documentId: string,
  locale: Locale,
): Promise<NonNullable<RenderRequest['tracked']>> {
  const t = translator(locale);
  const threads = await db
    .select()
    .from(commentThreads)
    .where(eq(commentThreads.documentId, documentId))
    .orderBy(asc(commentThreads.createdAt), asc(commentThreads.id));
  const rows = threads.length
    ? await db
        .select()
        .from(comments)
        .where(
          inArray(
            comments.threadId,
            threads.map((thread) => thread.id),
          ),
        )
        .orderBy(asc(comments.createdAt), asc(comments.id))
    : [];
  const members = await db
    .select({ id: documentMembers.userId })
    .from(documentMembers)
    .where(eq(documentMembers.documentId, documentId));
  const ids = [...new Set([...members.map((m) => m.id), ...rows.flatMap((c) => (c.authorId ? [c.authorId] : []))])];
  const named = ids.length
    ? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids))
    : [];
  const people = Object.fromEntries(named.map((u) => [u.id, u.name]));
  const unknownAuthor = t('wordRoundTrip.export.unknownAuthor');

  return {
    people,
    unknownAuthor,
    threads: threads
      .map((thread) => {
        const own = rows.filter((c) => c.threadId === thread.id);
        // A deleted comment leaves no text; a thread whose first comment was deleted keeps a placeholder root.
        const shown = own.filter((c, i) => i === 0 || !c.deletedAt);
        return {
          anchorStart: thread.anchorStart,
          anchorEnd: thread.anchorEnd,
          detachedNote: t('wordRoundTrip.export.detachedQuote', { quote: thread.quote }),
          resolved: thread.status === 'resolved',
          comments: shown.map((c) => ({
            author: (c.authorId && people[c.authorId]) || unknownAuthor,
            date: c.createdAt,
            body: c.deletedAt ? t('wordRoundTrip.export.deletedComment') : c.body,
          })),
        };
      })
      .filter((thread) => thread.comments.length > 0),
  };
}
