import { decode } from 'next-auth/jwt';
import type { Database } from '../../db/client';
import { getSessionUser, type PublicUser } from '../users/users';

/** next-auth 4's JWT session cookie; the `__Secure-` variant is used when the site runs on https. */
export const sessionCookieNames = ['__Secure-next-auth.session-token', 'next-auth.session-token'];

export function parseCookies(header: string | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const name = part.slice(0, i).trim();
    const value = part.slice(i + 1).trim();
    try {
      out.set(name, decodeURIComponent(value));
    } catch {
      out.set(name, value); // not percent-encoded: take it as it is
    }
  }
  return out;
}

/** next-auth splits a large JWT over `name.0`, `name.1`, …; ours are small, but read both forms. */
function sessionToken(cookies: Map<string, string>): string | undefined {
  for (const name of sessionCookieNames) {
    if (cookies.has(name)) return cookies.get(name);
    const chunks: string[] = [];
    for (let i = 0; cookies.has(`${name}.${i}`); i++) chunks.push(cookies.get(`${name}.${i}`)!);
    if (chunks.length) return chunks.join('');
  }
  return undefined;
}

/** The claim in the session JWT that carries `users.session_version` at the time the session was issued. */
export const sessionVersionClaim = 'sv';

/** A token without the claim was issued before sessions could be revoked: it is refused (signing in again mends it). */
export function sessionVersionOf(payload: Record<string, unknown> | null | undefined): number | undefined {
  const v = payload?.[sessionVersionClaim];
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;
}

/**
 * The signed-in person behind a request (HTTP or WebSocket upgrade): the session JWT is verified with the secret,
 * then the user is read from the database on every call, so a deactivated or deleted user, or a session ended by
 * signing out (its version is no longer the user's), is refused at once.
 */
export async function userFromCookieHeader(
  db: Database,
  secret: string,
  cookieHeader: string | null | undefined,
): Promise<(PublicUser & { sessionVersion: number }) | undefined> {
  const token = sessionToken(parseCookies(cookieHeader));
  if (!token) return undefined;
  let payload: Awaited<ReturnType<typeof decode>>;
  try {
    payload = await decode({ token, secret });
  } catch {
    return undefined; // tampered, expired or signed with another secret
  }
  const version = sessionVersionOf(payload);
  if (!payload?.sub || version === undefined) return undefined;
  const user = await getSessionUser(db, payload.sub, version);
  return user && { ...user, sessionVersion: version };
}
