import { and, count, eq, gt } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { invitations } from '../../db/schema';
import { AppError } from '../errors';

/**
 * At most 50 invitation mails (new or resent) per editor per hour. Counted from the invitations table itself, in
 * the inviting transaction, so the limit holds across processes and restarts without a separate store. When the
 * generic limiter (server/http/rate-limit.ts) lands, this one function is the place to switch.
 */
export const invitationsPerHour = 50;

export async function checkInvitationRate(tx: Executor, actorId: string, now = new Date()) {
  const since = new Date(now.getTime() - 60 * 60_000);
  const [row] = await tx
    .select({ n: count() })
    .from(invitations)
    .where(and(eq(invitations.invitedBy, actorId), gt(invitations.sentAt, since)));
  if ((row?.n ?? 0) >= invitationsPerHour) {
    throw new AppError('rate_limited:invitations', `At most ${invitationsPerHour} invitations per hour.`, {
      details: { perHour: invitationsPerHour },
    });
  }
}
