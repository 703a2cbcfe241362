import { defaultLocale, isLocale, translator } from '../../common/i18n';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Executor } from '../../db/client';
import { documents, invitations, users, type MemberRole } from '../../db/schema';
import { recordAudit } from '../audit/audit';
import { requireRole } from '../documents/access';
import type { InvitationSent } from '../documents/members';
import { AppError } from '../errors';
import type { MailLinks } from '../mail/links';
import { enqueueMail } from '../mail/outbox';
import { renderInvitation } from '../mail/templates';
import { checkInvitationRate } from './rate-limit';
import { invitationValidityMs, newInvitationToken } from './tokens';
import { acceptInvitation, describeInvitation, type AcceptInvitationInput } from './accept';

/**
 * Invitations of addresses that have no account yet (an address with an account becomes a member at once). The
 * invitation row, its audit event and its mail are written in one transaction. Accepting is in ./accept.ts.
 */
export interface PendingInvitation {
  id: string;
  email: string;
  role: MemberRole;
  invitedBy: string | null;
  sentAt: Date;
  expiresAt: Date;
}

const notFound = () => new AppError('not_found:invitation', 'Invitation not found.');
const pending = (now: Date) =>
  and(isNull(invitations.acceptedAt), isNull(invitations.withdrawnAt), gt(invitations.expiresAt, now));

async function queueInvitationMail(
  tx: Executor,
  links: MailLinks,
  input: { actorId: string; documentId: string; email: string; role: MemberRole; token: string; expiresAt: Date },
) {
  const [doc] = await tx.select({ title: documents.title }).from(documents).where(eq(documents.id, input.documentId));
  const [inviter] = await tx
    .select({ name: users.name, locale: users.locale })
    .from(users)
    .where(eq(users.id, input.actorId));
  const locale = isLocale(inviter?.locale) ? inviter.locale : defaultLocale;
  const mail = renderInvitation(links, {
    inviterName: inviter?.name ?? translator(locale)('invite.aColleague'),
    documentTitle: doc?.title ?? '',
    role: input.role,
    token: input.token,
    expiresAt: input.expiresAt,
    locale,
  });
  await enqueueMail(tx, {
    ...mail,
    kind: 'invitation',
    recipient: input.email,
    domain: links.domain,
    documentId: input.documentId,
  });
}

/** Called by addMember (inside its transaction, after the editor check) for an address without an account. */
export function inviteByEmail(links: MailLinks) {
  return async (
    tx: Executor,
    input: { actorId: string; documentId: string; email: string; role: MemberRole },
  ): Promise<InvitationSent> => {
    const now = new Date();
    const [open] = await tx
      .select({ id: invitations.id })
      .from(invitations)
      .where(and(eq(invitations.documentId, input.documentId), eq(invitations.email, input.email), pending(now)));
    if (open) {
      throw new AppError('conflict:invitation_pending', 'This address has a pending invitation; resend it instead.');
    }
    await checkInvitationRate(tx, input.actorId, now);
    const { token, hash } = newInvitationToken();
    const expiresAt = new Date(now.getTime() + invitationValidityMs);
    const [row] = await tx
      .insert(invitations)
      .values({
        documentId: input.documentId,
        email: input.email,
        role: input.role,
        tokenHash: hash,
        invitedBy: input.actorId,
        sentAt: now,
        expiresAt,
      })
      .returning({ id: invitations.id });
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'invitation.created',
      documentId: input.documentId,
      details: { invitationId: row!.id, email: input.email, role: input.role },
    });
    await queueInvitationMail(tx, links, { ...input, token, expiresAt });
    return { invited: true, email: input.email, role: input.role };
  };
}

export async function listPendingInvitations(
  db: Database,
  actorId: string,
  documentId: string,
): Promise<PendingInvitation[]> {
  await requireRole(db, documentId, actorId, ['editor'], 'see invitations');
  return db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      invitedBy: users.name,
      sentAt: invitations.sentAt,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(and(eq(invitations.documentId, documentId), pending(new Date())))
    .orderBy(desc(invitations.sentAt));
}

async function lockPending(tx: Executor, documentId: string, invitationId: string) {
  if (!z.uuid().safeParse(invitationId).success) throw notFound();
  const [row] = await tx
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.id, invitationId),
        eq(invitations.documentId, documentId),
        isNull(invitations.acceptedAt),
        isNull(invitations.withdrawnAt),
      ),
    )
    .for('update');
  if (!row) throw notFound();
  return row;
}

export async function withdrawInvitation(db: Database, actorId: string, documentId: string, invitationId: string) {
  return db.transaction(async (tx) => {
    await requireRole(tx, documentId, actorId, ['editor'], 'withdraw invitations');
    const row = await lockPending(tx, documentId, invitationId);
    await tx.update(invitations).set({ withdrawnAt: new Date() }).where(eq(invitations.id, row.id));
    await recordAudit(tx, {
      actorId,
      action: 'invitation.withdrawn',
      documentId,
      details: { invitationId: row.id, email: row.email },
    });
    return { id: row.id, withdrawn: true as const };
  });
}

/** A new token (the old link stops working), seven more days, and a new mail; also for an expired invitation. */
export async function resendInvitation(
  db: Database,
  links: MailLinks,
  actorId: string,
  documentId: string,
  invitationId: string,
) {
  return db.transaction(async (tx) => {
    await requireRole(tx, documentId, actorId, ['editor'], 'send invitations');
    const row = await lockPending(tx, documentId, invitationId);
    const now = new Date();
    await checkInvitationRate(tx, actorId, now);
    const { token, hash } = newInvitationToken();
    const expiresAt = new Date(now.getTime() + invitationValidityMs);
    await tx
      .update(invitations)
      .set({ tokenHash: hash, sentAt: now, expiresAt, invitedBy: actorId })
      .where(eq(invitations.id, row.id));
    await recordAudit(tx, {
      actorId,
      action: 'invitation.resent',
      documentId,
      details: { invitationId: row.id, email: row.email },
    });
    await queueInvitationMail(tx, links, { actorId, documentId, email: row.email, role: row.role, token, expiresAt });
    return { id: row.id, email: row.email, role: row.role, sentAt: now, expiresAt };
  });
}

/** Is there an account with this address already (compared case-insensitively)? */
export async function accountExists(tx: Executor, email: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  return !!row;
}

/**
 * Invitations of one server: pending ones per document, withdraw, resend (its mail goes out at once through
 * `sent`), and the invitee's side (describe the link, accept it).
 */
export function createInvitations({ db, links, sent }: { db: Database; links: () => MailLinks; sent?: () => void }) {
  return {
    pending: (actorId: string, documentId: string) => listPendingInvitations(db, actorId, documentId),
    withdraw: (actorId: string, documentId: string, invitationId: string) =>
      withdrawInvitation(db, actorId, documentId, invitationId),
    resend: async (actorId: string, documentId: string, invitationId: string) => {
      const result = await resendInvitation(db, links(), actorId, documentId, invitationId);
      sent?.();
      return result;
    },
    describe: (token: string) => describeInvitation(db, token),
    accept: (input: AcceptInvitationInput) => acceptInvitation(db, input),
  };
}
