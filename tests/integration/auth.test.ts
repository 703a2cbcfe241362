import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deactivateUser } from '../../server/users/users';
import { apiClient, signIn, trySignIn } from '../helpers/http';
import { makeUser, startTestServer, testPassword, type TestServer } from '../helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.dispose());

describe('sign-in through the real next-auth endpoints', () => {
  it('a user with the right password gets a session that /api/auth/session shows', async () => {
    const user = await makeUser(server, 'Anne');
    const cookie = await signIn(server.url, user.email.toUpperCase(), testPassword);
    const res = await fetch(`${server.url}/api/auth/session`, { headers: { cookie } });
    const session = (await res.json()) as { user?: { email: string; id: string } };
    expect(session.user?.email).toBe(user.email);
    expect(session.user?.id).toBe(user.id);
  });

  it('a wrong password or an unknown e-mail gets no session', async () => {
    const user = await makeUser(server, 'Bram');
    const wrong = await trySignIn(server.url, user.email, 'not the password at all');
    expect(wrong.cookie).toBeUndefined();
    expect(wrong.location).toContain('error=CredentialsSignin');
    const unknown = await trySignIn(server.url, 'nobody@example.nl', testPassword);
    expect(unknown.cookie).toBeUndefined();
  });

  it('after five failed attempts the address is locked, even with the right password', async () => {
    const user = await makeUser(server, 'Carla');
    for (let i = 0; i < 5; i++)
      expect((await trySignIn(server.url, user.email, `wrong-${i}-password`)).cookie).toBeUndefined();
    const locked = await trySignIn(server.url, user.email, testPassword);
    expect(locked.cookie).toBeUndefined();
    expect(locked.location).toContain('error=TooManyAttempts');
  });

  it('a deactivated user is refused on the next request with the session they already had', async () => {
    const user = await makeUser(server, 'Daan');
    const cookie = await signIn(server.url, user.email);
    const api = apiClient(server.url, cookie);
    expect((await api.get('/api/documents')).status).toBe(200);
    await deactivateUser(server.services.db, user.id);
    const after = await api.get('/api/documents');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthorized');
    const session = await (await fetch(`${server.url}/api/auth/session`, { headers: { cookie } })).json();
    expect(session.user).toBeUndefined();
  });

  it('a forged session cookie is not accepted', async () => {
    const api = apiClient(
      server.url,
      'next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..forged.forged.forged',
    );
    expect((await api.get('/api/documents')).status).toBe(401);
  });
});

describe('pages', () => {
  it('the sign-in page is Dutch, has email and password fields, and strict security headers', async () => {
    const res = await fetch(`${server.url}/signin`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('Aanmelden');
    expect(html).toMatch(/name="email"/);
    expect(html).toMatch(/name="password"/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).not.toContain("'unsafe-inline' 'nonce");
    // Every script tag carries this request's nonce.
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('the document list without a session redirects to sign-in and back', async () => {
    const res = await fetch(`${server.url}/`, { redirect: 'manual' });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe('/signin?callbackUrl=%2F');
  });
});
