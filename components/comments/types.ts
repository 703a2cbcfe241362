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
  comments: CommentItem[];
}

export interface CommentEvent {
  type: string;
  thread: Thread;
  actorId: string;
  mentioned: string[];
}

/** A member as the mention picker offers them. */
export interface Mentionable {
  userId: string;
  name: string;
  organisation: string | null;
}

export type ThreadFilter = 'open' | 'resolved' | 'all';
