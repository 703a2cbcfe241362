/**
 * Consultation rounds (*consultatieronde*): what client and server both need. A round asks the reviewers (by
 * default every commenter and the chair) for their position on the draft by a due date.
 */
export const roundPositions = ['agree', 'agree_with_remarks', 'disagree', 'abstain'] as const;
export type RoundPosition = (typeof roundPositions)[number];
export const roundStatuses = ['open', 'closed'] as const;
export type RoundStatus = (typeof roundStatuses)[number];

/** Positions that need a remark: a reviewer who does not simply agree says why. */
export const positionsNeedingRemark: readonly RoundPosition[] = ['agree_with_remarks', 'disagree'];
export const maxRemarkChars = 5_000;
export const maxQuestionChars = 2_000;

export interface RoundReviewerView {
  user: { id: string; name: string; organisation: string | null };
  position: RoundPosition | null;
  remark: string | null;
  respondedAt: string | null;
}

export interface RoundView {
  id: string;
  documentId: string;
  question: string;
  dueAt: string;
  status: RoundStatus;
  openedBy: { id: string; name: string } | null;
  createdAt: string;
  closedAt: string | null;
  /** `due` (the timer at dueAt), `manual` (an editor or the chair) or `ready` (the text was locked for the board). */
  closedReason: 'due' | 'manual' | 'ready' | null;
  reviewers: RoundReviewerView[];
  /** Per position, plus `none` for reviewers who have not answered. */
  counts: Record<RoundPosition | 'none', number>;
}

/** Type 102 on the collaboration connection: a round changed; carries the whole round (it is small). */
export interface RoundEvent {
  type: 'round.opened' | 'round.response' | 'round.closed';
  round: RoundView;
  actorId: string | null;
}
