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
  // How it stays fast at thousands of documents (bench/search.ts), in two tiers:
  // 1. Documents whose title, header or opening (the first 2,000 characters: `rank_vector`, small and stored with
  //    the row) match the whole query, ranked by those two small vectors. Deciding and ranking never unpack a
  //    snapshot's whole-text vector, which is what cost tens of milliseconds when a word is in every document.
  // 2. Only when tier 1 has fewer than the limit: documents that match further on in the text (the GIN index on
  //    the whole text's vector finds them), rank 0, most recently changed first. A match in the opening says more
  //    about what a voorstel is about than one on page 12, so tier 1 always ranks first.
  // `ts_headline` runs only for the rows returned, first on the start of the text, and on the longer text only when
  // the start holds no match. The document and comment queries are independent: on PostgreSQL they run side by
  // side on two pooled connections.
  const [documentRows, commentRows] = await Promise.all([
    rows<DocumentRow>(
      db,
      sql`with mine as not materialized (
        select d.id, d.title, d.status, d.archived_at is not null as archived, d.updated_at, d.title_vector,
          s.rank_vector
        from document_members m
        join documents d on d.id = m.document_id and d.deleted_at is null
        left join document_snapshots s on s.document_id = d.id
        where m.user_id = ${userId}::uuid
      ),
      opening_ids as (
        select id from documents where title_vector @@ ${q}
        union
        -- A query that excludes a word (-politie) is checked against the whole text too: the word may stand after
        -- the opening. Without one, an opening that matches means the text matches, and the planner folds the test
        -- away (the query is a constant), so the whole text's large vectors are not read.
        select document_id from document_snapshots
        where rank_vector @@ ${q} and (strpos((${q})::text, '!') = 0 or search_vector @@ ${q})
      ),
      opening as (
        select mine.id, mine.title, mine.status, mine.archived, mine.updated_at,
          ts_rank(mine.title_vector, ${q}) + coalesce(ts_rank(mine.rank_vector, ${q}), 0) as rank
        from opening_ids join mine on mine.id = opening_ids.id
        order by rank desc, updated_at desc
        limit ${searchLimits.documents}
      ),
      further as (
        select mine.id, mine.title, mine.status, mine.archived, mine.updated_at, 0::real as rank
        from document_snapshots s
        join mine on mine.id = s.document_id
        -- Given that the whole text matches, a document is in the opening tier exactly when its title or opening
        -- matches: those are left out here.
        where s.search_vector @@ ${q} and not (mine.title_vector @@ ${q} or coalesce(mine.rank_vector @@ ${q}, false))
        order by mine.updated_at desc
        limit greatest(0, ${searchLimits.documents} - (select count(*) from opening))
      ),
      top as (select * from opening union all select * from further)
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
