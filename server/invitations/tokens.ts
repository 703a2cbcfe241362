import { createHash, randomBytes } from 'node:crypto';

/**
 * Invitation tokens: 32 random bytes (base64url, 43 characters) in the link; the database keeps only their
 * SHA-256, so a copy of the database does not let anyone accept an invitation. A plain hash suffices (no salt or
 * slow hash): the token has 256 bits of entropy, nothing to guess.
 */
export const invitationValidityMs = 7 * 24 * 60 * 60_000;

export function newInvitationToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashInvitationToken(token) };
}

export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** What a link can carry: anything else is an unknown token without a database lookup. */
export const tokenPattern = /^[A-Za-z0-9_-]{43}$/;
