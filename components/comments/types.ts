/** The comments API's shapes as the browser receives them (JSON: dates are strings). See docs/api.md. */
export interface Person {
  id: string;
  name: string;
  organisation: string | null;
}

export interface CommentItem {
  id: string;
  threadId: string;
  author: Person | null;
  body: string | null;
  mentions: string[];
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
}

export interface Thread {
  id: string;
  documentId: string;
  anchor: { start: string; end: string };
  quote: string;
  status: 'open' | 'resolved';
  detached: boolean;
  position: number;
  createdBy: Person | null;
  createdAt: string;
  updatedAt: string;
  resolvedBy: Person | null;
  resolvedAt: string | null;
  /** Every comment of the thread; `comments` may hold fewer (the first and the latest ones). */
  commentCount: number;
  comments: CommentItem[];
}

/** A page of a list: `nextCursor` fetches the next one, `null` on the last. */
export interface Page {
  nextCursor: string | null;
}

/** Comment events (message type 101) carry the change only; see server/comments/events.ts and docs/api.md. */
export type CommentEvent = { actorId: string; mentioned: string[] } & (
  | { type: 'thread.created'; thread: Thread }
  | { type: 'comment.added'; threadId: string; comment: CommentItem; commentCount: number; updatedAt: string }
  | { type: 'comment.edited' | 'comment.deleted'; threadId: string; comment: CommentItem }
  | { type: 'thread.resolved' | 'thread.reopened'; threadId: string; status: Thread['status']; resolvedBy: Person | null; resolvedAt: string | null; updatedAt: string }
);

/** A member as the mention picker offers them. */
export interface Mentionable {
  userId: string;
  name: string;
  organisation: string | null;
}

export type ThreadFilter = 'open' | 'resolved' | 'all';
