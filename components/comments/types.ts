import type { CommentView, ThreadView } from '@/common/api/comments';

/** The comments API's shapes as the browser receives them (JSON: dates are strings); defined in common/. */
export type { CommentEvent, Page, PersonView as Person, ThreadFilter } from '@/common/api/comments';
export type CommentItem = CommentView<string>;
export type Thread = ThreadView<string>;

/** A member as the mention picker offers them. */
export interface Mentionable {
  userId: string;
  name: string;
  organisation: string | null;
}
