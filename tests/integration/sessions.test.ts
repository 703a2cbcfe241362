import { eq } from 'drizzle-orm';
import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../db/schema';
import { resolveAuthSecret } from '../../server/auth/secret';
import { deactivateUser } from '../../server/users/users';
import { rawClient } from '../helpers/collab';
import { apiClient, signIn } from '../helpers/http';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';

/** Sessions are JWTs; sign-out and deactivation must still end them on the server, for HTTP and WebSocket alike. */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ collab: { revalidateUsersMs: 200 } });
});
afterAll(() => server?.dispose());

/** Signs out through next-auth's own endpoint as the browser does: a CSRF token, then a same-origin form POST. */
async function signOut(sessionCookie: string) {
  const csrfRes = await fetch(`${server.url}/api/auth/csrf`, { headers: { cookie: sessionCookie } });
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const csrfCookies = csrfRes.headers.getSetCookie().map((c) => c.split(';')[0]);
  const res = await fetch(`${server.url}/api/auth/signout`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: [sessionCookie, ...csrfCookies].join('; '),
      origin: server.url,
    },
    body: new URLSearchParams({ csrfToken, json: 'true' }),
  });
  // next-auth answers the sign-out by clearing the cookie; the copy the test kept is what must stop working.
  expect(res.headers.getSetCookie().some((c) => /^next-auth\.session-token=;/.test(c))).toBe(true);
}

/** A document of this person's, and the HTTP status of a WebSocket upgrade to it with `cookie` (101 when accepted). */
async function upgradeStatus(documentId: string, cookie: string): Promise<number> {
  const client = rawClient(server.url, documentId, cookie);
  try {
    return await Promise.race([client.opened.then(() => 101), client.unexpected]);
  } finally {
    client.ws.terminate();
  }
}

async function signedInWithDocument(name: string) {
  const user = await makeUser(server, name);
  const cookie = await signIn(server.url, user.email);
  const { body } = await apiClient(server.url, cookie).post('/api/documents', { title: 'Sessie', template: 'blank' });
  return { user, cookie, documentId: body.id as string };
}

describe('ending a session', () => {
  it('after sign-out the old session cookie gets 401 on the API, an empty session, and a refused WebSocket upgrade', async () => {
    const { cookie, documentId } = await signedInWithDocument('Anne');
    expect((await apiClient(server.url, cookie).get('/api/documents')).status).toBe(200);
    expect(await upgradeStatus(documentId, cookie)).toBe(101);

    await signOut(cookie);

    const after = await apiClient(server.url, cookie).get('/api/documents');
    expect([after.status, after.body.error.code]).toEqual([401, 'unauthorized']);
    const session = await (await fetch(`${server.url}/api/auth/session`, { headers: { cookie } })).json();
    expect(session.user).toBeUndefined();
    expect(await upgradeStatus(documentId, cookie)).toBe(401);
  });

  it('after sign-out a collaboration connection that was already open is closed with 4401', async () => {
    const { cookie, documentId } = await signedInWithDocument('Carla');
    const open = rawClient(server.url, documentId, cookie);
    await open.opened;
    await signOut(cookie);
    expect((await open.closed).code).toBe(4401);
  });

  it('signing out ends the person’s other sessions too, and they can sign in again afterwards', async () => {
    const { user, cookie: laptop } = await signedInWithDocument('Bram');
    const phone = await signIn(server.url, user.email);
    await signOut(laptop);
    expect((await apiClient(server.url, phone).get('/api/documents')).status).toBe(401);
    const again = await signIn(server.url, user.email);
    expect((await apiClient(server.url, again).get('/api/documents')).status).toBe(200);
  });

  it('an already ended cookie cannot be replayed to sign the person out of a new session', async () => {
    const { user, cookie: old } = await signedInWithDocument('Carla');
    await signOut(old);
    const fresh = await signIn(server.url, user.email);
    await signOut(old);
    expect((await apiClient(server.url, fresh).get('/api/documents')).status).toBe(200);
  });

  it('deactivation ends every session for good: they stay refused even if the account is activated again', async () => {
    const { user, cookie, documentId } = await signedInWithDocument('Daan');
    await deactivateUser(server.services.db, user.id);
    expect((await apiClient(server.url, cookie).get('/api/documents')).status).toBe(401);
    expect(await upgradeStatus(documentId, cookie)).toBe(401);
    // An administrator reactivating the account must not bring back sessions issued before the deactivation.
    await server.services.db.update(users).set({ deactivatedAt: null }).where(eq(users.id, user.id));
    expect((await apiClient(server.url, cookie).get('/api/documents')).status).toBe(401);
    expect(await upgradeStatus(documentId, cookie)).toBe(401);
    expect((await apiClient(server.url, await signIn(server.url, user.email)).get('/api/documents')).status).toBe(200);
  });

  it('a validly signed session token without a session version (issued before revocation existed) is refused', async () => {
    const { user, documentId } = await signedInWithDocument('Eva');
    const token = await encode({
      token: { sub: user.id, email: user.email, name: user.name },
      secret: resolveAuthSecret(server.config),
    });
    const cookie = `next-auth.session-token=${token}`;
    expect((await apiClient(server.url, cookie).get('/api/documents')).status).toBe(401);
    expect(await upgradeStatus(documentId, cookie)).toBe(401);
  });
});
