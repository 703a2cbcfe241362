import { decode } from 'next-auth/jwt';
import type { Database } from '../../db/client';
import { getActiveUser, type PublicUser } from '../users/users';

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

/**
 * The signed-in person behind a request (HTTP or WebSocket upgrade): the session JWT is verified with the secret,
 * then the user is read from the database on every call, so a deactivated or deleted user is refused at once.
 */
export async function userFromCookieHeader(db: Database, secret: string, cookieHeader: string | null | undefined): Promise<PublicUser | undefined> {
  const token = sessionToken(parseCookies(cookieHeader));
  if (!token) return undefined;
  let payload: Awaited<ReturnType<typeof decode>>;
  try {
    payload = await decode({ token, secret });
  } catch {
    return undefined; // tampered, expired or signed with another secret
  }
  if (!payload?.sub) return undefined;
  return getActiveUser(db, payload.sub);
}
