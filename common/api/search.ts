import type { DocumentStatus } from '../policy';
/** The search API's answer (`GET /api/search?q=…`), shared by the server and the results page. */

/** A piece of a snippet or title: `match` marks the words that matched. Always rendered as text, never as HTML. */
export interface SnippetPart {
  text: string;
  match: boolean;
}

export interface SearchHit {
  kind: 'document' | 'comment';
  documentId: string;
  /** The document's title as plain text, and the same cut into parts with the matching words marked. */
  title: string;
  titleParts: SnippetPart[];
  status: DocumentStatus;
  archived: boolean;
  /** For a comment hit: the thread it belongs to (the link opens the document at that thread). */
  threadId?: string;
  snippet: SnippetPart[];
  /** Where the hit leads: `/documents/<id>`, or `/documents/<id>?thread=<threadId>` for a comment. */
  href: string;
  rank: number;
}

export interface SearchResult {
  query: string;
  hits: SearchHit[];
}

export const searchQueryMaxLength = 200;
