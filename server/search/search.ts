/**
 * Full-text search (PostgreSQL's Dutch configuration, the same on PGlite and PostgreSQL) over the documents a
 * person is a member of: titles (weight A), header fields (B) and text (C) of the latest snapshot, and comments.
 *
 * Confidentiality: every query starts from the caller's own `document_members` rows, so a document they are not a
 * member of never contributes a hit, a title, a snippet or a count. Soft-deleted documents are left out for everyone.
 * The index follows the snapshots (document_snapshots.search_vector, generated at compaction), so the text found is
 * the text as last compacted, not keystroke by keystroke.
 */
import { sql } from 'drizzle-orm';
import type { DocumentStatus } from '../../common/policy';
import type { SearchHit, SearchResult } from '../../common/api/search';
import type { Executor } from '../../db/client';
import { headlineOptions, matchStart, snippetParts } from './snippet';

/** How many document and comment hits one query returns at most (each). */
export const searchLimits = {
  documents: 20,
  comments: 20,
  /** The snippet is looked for in the text's start first; only without a match there in up to `headlineChars`. */
  shortHeadlineChars: 2_000,
  headlineChars: 100_000,
};

/** Markers are removed from what goes into `ts_headline`, so only its own markers are in its answer. */
const clean = (column: ReturnType<typeof sql>) => sql`translate(${column}, E'\\x01\\x02', '')`;
const titleOptions = `${headlineOptions}, HighlightAll=true`;

interface DocumentRow {
  id: string;
  title: string;
  status: DocumentStatus;
  archived: boolean;
  rank: number;
  title_marked: string;
  snippet: string | null;
}
interface CommentRow extends DocumentRow {
  thread_id: string;
}

async function rows<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

export async function search(db: Executor, userId: string, query: string): Promise<SearchResult> {
  const q = sql`websearch_to_tsquery('dutch', ${query})`;
  // How it stays fast at thousands of documents (bench/search.ts): the match comes from the GIN indexes alone
  // (titles, and the snapshots' whole text), joined to the caller's memberships; ranking reads two small stored
  // vectors (the title, and the header plus the start of the text) and adds their ranks instead of concatenating
  // vectors per row; `ts_headline` runs only for the top rows, first on the start of the text, and on the longer
  // text only when the start holds no match.
  // The two queries are independent: on PostgreSQL they run side by side on two pooled connections.
  const [documentRows, commentRows] = await Promise.all([
    rows<DocumentRow>(
      db,
      sql`with matched as (
        select s.document_id as id from document_snapshots s where s.search_vector @@ ${q}
        union
        select d.id from documents d where d.title_vector @@ ${q}
      ),
      top as (
        select d.id, d.title, d.status, d.archived_at is not null as archived, d.updated_at,
          ts_rank(d.title_vector, ${q}) + coalesce(ts_rank(s.rank_vector, ${q}), 0) as rank
        from document_members m
        join documents d on d.id = m.document_id and d.deleted_at is null
        join matched on matched.id = d.id
        left join document_snapshots s on s.document_id = d.id
        where m.user_id = ${userId}::uuid
        order by rank desc, d.updated_at desc
        limit ${searchLimits.documents}
      )
      select top.id, top.title, top.status, top.archived, top.rank,
        ts_headline('dutch', ${clean(sql`top.title`)}, ${q}, ${titleOptions}) as title_marked,
        case when strpos(short.snippet, ${matchStart}) > 0 then short.snippet
          else ts_headline('dutch', ${clean(sql`left(s.text, ${searchLimits.headlineChars})`)}, ${q}, ${headlineOptions})
        end as snippet
      from top
      left join document_snapshots s on s.document_id = top.id
      cross join lateral (
        select ts_headline('dutch', ${clean(sql`left(s.text, ${searchLimits.shortHeadlineChars})`)}, ${q}, ${headlineOptions}) as snippet
      ) short
      order by top.rank desc, top.updated_at desc`,
    ),
    rows<CommentRow>(
      db,
      sql`with top as (
        select c.id, c.body, t.id as thread_id, d.id as document_id, d.title, d.status, d.archived_at is not null as archived,
          ts_rank(to_tsvector('dutch', c.body), ${q}) as rank, c.created_at
        from document_members m
        join documents d on d.id = m.document_id and d.deleted_at is null
        join comment_threads t on t.document_id = d.id
        join comments c on c.thread_id = t.id and c.deleted_at is null
        where m.user_id = ${userId}::uuid and to_tsvector('dutch', c.body) @@ ${q}
        order by rank desc, c.created_at desc
        limit ${searchLimits.comments}
      )
      select top.document_id as id, top.thread_id, top.title, top.status, top.archived, top.rank,
        ts_headline('dutch', ${clean(sql`top.title`)}, ${q}, ${titleOptions}) as title_marked,
        ts_headline('dutch', ${clean(sql`top.body`)}, ${q}, ${headlineOptions}) as snippet
      from top
      order by top.rank desc, top.created_at desc`,
    ),
  ]);
  const hit = (r: DocumentRow, kind: SearchHit['kind'], threadId?: string): SearchHit => ({
    kind,
    documentId: r.id,
    title: r.title,
    titleParts: snippetParts(r.title_marked),
    status: r.status,
    archived: Boolean(r.archived),
    ...(threadId ? { threadId } : {}),
    snippet: snippetParts(r.snippet ?? ''),
    href: threadId ? `/documents/${r.id}?thread=${threadId}` : `/documents/${r.id}`,
    rank: Number(r.rank),
  });
  const hits = [
    ...documentRows.map((r) => hit(r, 'document')),
    ...commentRows.map((r) => hit(r, 'comment', r.thread_id)),
  ];
  hits.sort((a, b) => b.rank - a.rank);
  return { query, hits };
}
