import { and, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Executor } from '../../db/client';
import { documentMembers, documents, invitations, users, type MemberRole } from '../../db/schema';
import { recordAudit } from '../audit/audit';
import { hashPassword, minPasswordLength } from '../auth/password';
import { AppError } from '../errors';
import { accountExists } from './invitations';
import { hashInvitationToken, tokenPattern } from './tokens';

/**
 * The invite page's side: what a token stands for, and accepting it. Accepting creates the account and the
 * membership (and those of other pending invitations of the same address) in one transaction; the page then
 * signs the person in through the credentials provider with the password they just chose.
 */
export type InvitationState = 'pending' | 'expired' | 'used' | 'withdrawn' | 'unknown';

export interface InvitationInfo {
  state: InvitationState;
  email?: string;
  role?: MemberRole;
  documentId?: string;
  documentTitle?: string;
  inviterName?: string | null;
  expiresAt?: Date;
}

export const acceptInvitationSchema = z.strictObject({
  token: z.string().regex(tokenPattern, 'invalid invitation'),
  name: z.string().trim().min(1, 'name is required').max(200, 'name too long'),
  password: z.string().min(minPasswordLength, `password must be at least ${minPasswordLength} characters`).max(1024),
});
export type AcceptInvitationInput = z.infer<typeof acceptInvitationSchema>;

function stateOf(
  row: { acceptedAt: Date | null; withdrawnAt: Date | null; expiresAt: Date },
  now: Date,
): InvitationState {
  if (row.acceptedAt) return 'used';
  if (row.withdrawnAt) return 'withdrawn';
  return row.expiresAt <= now ? 'expired' : 'pending';
}

export async function describeInvitation(db: Database, token: string): Promise<InvitationInfo> {
  if (!tokenPattern.test(token)) return { state: 'unknown' };
  const [row] = await db
    .select({ i: invitations, documentTitle: documents.title, inviterName: users.name })
    .from(invitations)
    .innerJoin(documents, eq(documents.id, invitations.documentId))
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(eq(invitations.tokenHash, hashInvitationToken(token)));
  if (!row) return { state: 'unknown' };
  return {
    state: stateOf(row.i, new Date()),
    email: row.i.email,
    role: row.i.role,
    documentId: row.i.documentId,
    documentTitle: row.documentTitle,
    inviterName: row.inviterName,
    expiresAt: row.i.expiresAt,
  };
}

const refusals: Record<Exclude<InvitationState, 'pending'>, () => AppError> = {
  unknown: () => new AppError('not_found:invitation', 'This invitation does not exist.'),
  expired: () => new AppError('conflict:invitation_expired', 'This invitation has expired.'),
  used: () => new AppError('conflict:invitation_used', 'This invitation was used already; sign in.'),
  withdrawn: () => new AppError('conflict:invitation_withdrawn', 'This invitation was withdrawn.'),
};

export async function acceptInvitation(
  db: Database,
  input: AcceptInvitationInput,
): Promise<{ email: string; documentId: string; userId: string }> {
  const passwordHash = await hashPassword(input.password); // outside the transaction: ~100 ms of CPU
  return db.transaction(async (tx) => {
    const now = new Date();
    // Locked: two submissions of one link cannot both create an account.
    const [row] = await tx
      .select()
      .from(invitations)
      .where(eq(invitations.tokenHash, hashInvitationToken(input.token)))
      .for('update');
    const state = row ? stateOf(row, now) : 'unknown';
    if (!row || state !== 'pending') throw refusals[state as Exclude<InvitationState, 'pending'>]();
    if (await accountExists(tx, row.email)) {
      throw new AppError('conflict:user_email', 'An account with this address exists; sign in.');
    }
    const [user] = await tx
      .insert(users)
      .values({ email: row.email, name: input.name, passwordHash })
      .returning({ id: users.id });
    await recordAudit(tx, {
      actorId: user!.id,
      action: 'user.created',
      details: { userId: user!.id, email: row.email, invitationId: row.id },
    });
    // Every pending invitation of this address: the person proved they read its mail.
    const all = await tx
      .select()
      .from(invitations)
      .where(
        and(
          eq(invitations.email, row.email),
          isNull(invitations.acceptedAt),
          isNull(invitations.withdrawnAt),
          gt(invitations.expiresAt, now),
        ),
      )
      .for('update');
    await joinInvitedDocuments(tx, user!.id, all, now);
    return { email: row.email, documentId: row.documentId, userId: user!.id };
  });
}

/**
 * Sign-in through OpenID Connect with an address that has no account but pending invitations: the identity
 * provider has verified the address (checked by the caller), which is what an invitation binds to, so the account
 * (without a password) and the memberships are made in one transaction. `undefined`: no pending invitation.
 */
export async function acceptInvitationsByVerifiedEmail(
  db: Database,
  email: string,
  name: string,
): Promise<{ userId: string } | undefined> {
  const address = email.trim().toLowerCase();
  return db.transaction(async (tx) => {
    const now = new Date();
    const open = await tx
      .select()
      .from(invitations)
      .where(
        and(
          eq(invitations.email, address),
          isNull(invitations.acceptedAt),
          isNull(invitations.withdrawnAt),
          gt(invitations.expiresAt, now),
        ),
      )
      .for('update');
    if (!open.length || (await accountExists(tx, address))) return undefined;
    const [user] = await tx
      .insert(users)
      .values({ email: address, name: name.trim().slice(0, 200) || address, passwordHash: null })
      .returning({ id: users.id });
    await recordAudit(tx, {
      actorId: user!.id,
      action: 'user.created',
      details: { userId: user!.id, email: address, via: 'oidc' },
    });
    await joinInvitedDocuments(tx, user!.id, open, now, 'oidc');
    return { userId: user!.id };
  });
}

/** The new account joins every document it was invited to, in the accepting transaction, each step in the audit log. */
async function joinInvitedDocuments(
  tx: Executor,
  userId: string,
  pending: { id: string; documentId: string; email: string; role: MemberRole; invitedBy: string | null }[],
  now: Date,
  via?: 'oidc',
) {
  for (const inv of pending) {
    await tx
      .insert(documentMembers)
      .values({ documentId: inv.documentId, userId, role: inv.role })
      .onConflictDoNothing();
    await tx.update(invitations).set({ acceptedAt: now, acceptedBy: userId }).where(eq(invitations.id, inv.id));
    await recordAudit(tx, {
      actorId: userId,
      action: 'invitation.accepted',
      documentId: inv.documentId,
      details: { invitationId: inv.id, email: inv.email, ...(via ? { via } : {}) },
    });
    await recordAudit(tx, {
      actorId: inv.invitedBy,
      action: 'member.added',
      documentId: inv.documentId,
      details: { userId, email: inv.email, role: inv.role, invitationId: inv.id },
    });
  }
}
