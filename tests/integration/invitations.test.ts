import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditEvents, invitations, mailOutbox } from '../../db/schema';
import { createAuthOptions } from '../../server/auth/options';
import { invitationsPerHour } from '../../server/invitations/rate-limit';
import { findUserByEmail } from '../../server/users/users';
import { hashInvitationToken } from '../../server/invitations/tokens';
import { apiClient, signIn, trySignIn } from '../helpers/http';
import { mailMatching } from '../helpers/mail';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';

/** Invitations of addresses without an account: the API, the mail with its link, and accepting it. */
let server: TestServer;
let smtp: TestSmtpServer;
let editor: { id: string; email: string };
let editorCookie: string;
const api = () => apiClient(server.url, editorCookie);
const password = 'een lang wachtwoord 2026';

beforeAll(async () => {
  smtp = await startSmtpServer();
  server = await startTestServer({ mail: { smtpUrl: smtp.url, pollMs: 50 } });
  editor = await makeUser(server, 'Anne', undefined, { isAdmin: true }); // an administrator may invite a chair
  editorCookie = await signIn(server.url, editor.email);
});
afterAll(async () => {
  await server?.dispose();
  await smtp?.stop();
});

let counter = 0;
const newAddress = () => `Nieuwe.Burgemeester.${++counter}.${Date.now()}@Gemeente-Oldenzaal.nl`;
const tokenIn = (text: string) => /\/invite\/([A-Za-z0-9_-]{43})/.exec(text)?.[1];

async function newDocument(title = 'Voorstel met gasten') {
  return (await api().post('/api/documents', { title, template: 'blank' })).body.id as string;
}

describe('invitations', () => {
  it('inviting an address without an account answers 201 {invited, email, role} and mails a single-use link, stored only hashed', async () => {
    const id = await newDocument('Uitnodiging <test>');
    const address = newAddress();
    const res = await api().post(`/api/documents/${id}/members`, { email: address, role: 'commenter' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ invited: true, email: address.toLowerCase(), role: 'commenter' });

    const mail = await mailMatching(smtp, (m) => m.to.includes(address.toLowerCase()));
    expect(mail.subject).toBe('[Stukwerk] Anne nodigt je uit voor "Uitnodiging <test>"');
    expect(mail.text).toContain('als reageerder mee te werken aan het document "Uitnodiging <test>"');
    expect(mail.html).toContain('Uitnodiging &lt;test&gt;');
    const token = tokenIn(mail.text)!;
    expect(mail.text).toContain(`${server.url}/invite/${token}`);
    expect(mail.html).toContain(`href="${server.url}/invite/${token}"`);

    const [row] = await server.services.db.select().from(invitations).where(eq(invitations.documentId, id));
    expect(row!.tokenHash).toBe(hashInvitationToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row!.expiresAt.getTime() - row!.sentAt.getTime()).toBe(7 * 24 * 3600_000);
    // Once sent, the outbox no longer holds the token either. The SMTP server has the mail a moment before the
    // sender records it as sent (it marks a row only after the server accepted it): wait for that commit.
    await vi.waitFor(
      async () => {
        const [sent] = await server.services.db
          .select()
          .from(mailOutbox)
          .where(eq(mailOutbox.messageId, mail.messageId));
        expect(sent).toMatchObject({ status: 'sent', textBody: null, htmlBody: null });
      },
      { timeout: 10_000, interval: 100 },
    );

    const pending = await api().get(`/api/documents/${id}/invitations`);
    expect(pending.body.invitations).toMatchObject([
      { email: address.toLowerCase(), role: 'commenter', invitedBy: 'Anne' },
    ]);
    expect((await api().post(`/api/documents/${id}/members`, { email: address, role: 'viewer' })).status).toBe(409);
  });

  it('accepting creates the account and the membership once; the link then no longer works', async () => {
    const id = await newDocument();
    const address = newAddress().toLowerCase();
    await api().post(`/api/documents/${id}/members`, { email: address, role: 'chair' });
    const token = tokenIn((await mailMatching(smtp, (m) => m.to.includes(address))).text)!;
    const anonymous = apiClient(server.url);
    expect(
      (await anonymous.post('/api/invitations/accept', { token, name: 'Mr. Kort', password: 'te kort' })).status,
    ).toBe(400);
    const accepted = await anonymous.post('/api/invitations/accept', { token, name: 'Burgemeester Kort', password });
    expect(accepted).toMatchObject({ status: 201, body: { email: address, documentId: id } });
    expect(
      (await anonymous.post('/api/invitations/accept', { token, name: 'Nog eens', password })).body.error.code,
    ).toBe('conflict:invitation_used');

    const cookie = await signIn(server.url, address, password);
    const doc = await apiClient(server.url, cookie).get(`/api/documents/${id}`);
    expect(doc.status).toBe(200);
    expect(doc.body.role).toBe('chair');
    expect((await api().get(`/api/documents/${id}/invitations`)).body.invitations).toEqual([]);
    const audit = await server.services.db.select().from(auditEvents).where(eq(auditEvents.documentId, id));
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['invitation.created', 'invitation.accepted', 'member.added']),
    );
  });

  it('resend replaces the link; withdraw and expiry stop it; the page explains each in Dutch', async () => {
    const id = await newDocument();
    const address = newAddress().toLowerCase();
    await api().post(`/api/documents/${id}/members`, { email: address, role: 'viewer' });
    const first = tokenIn((await mailMatching(smtp, (m) => m.to.includes(address))).text)!;
    const [inv] = (await api().get(`/api/documents/${id}/invitations`)).body.invitations;
    expect((await api().post(`/api/documents/${id}/invitations/${inv.id}/resend`)).status).toBe(200);
    const second = tokenIn((await mailMatching(smtp, (m) => m.to.includes(address) && !m.text.includes(first))).text)!;
    expect(second).not.toBe(first);

    const page = async (token: string) => (await fetch(`${server.url}/invite/${token}`)).text();
    expect(await page(first)).toContain('Deze uitnodiging bestaat niet');
    const open = await page(second);
    expect(open).toContain('nodigt je uit voor het document');
    expect(open).toMatch(/name="name"/);
    expect(open).toMatch(/name="password"/);

    await server.services.db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitations.id, inv.id));
    expect(await page(second)).toContain('Deze uitnodiging is verlopen');
    expect(
      (await apiClient(server.url).post('/api/invitations/accept', { token: second, name: 'Te laat', password })).body
        .error.code,
    ).toBe('conflict:invitation_expired');

    await server.services.db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() + 3600_000) })
      .where(eq(invitations.id, inv.id));
    expect((await api().delete(`/api/documents/${id}/invitations/${inv.id}`)).status).toBe(200);
    expect(await page(second)).toContain('Deze uitnodiging is ingetrokken');
    expect(await page('x'.repeat(43))).toContain('Deze uitnodiging bestaat niet');
    expect(await page('<script>')).toContain('Deze uitnodiging bestaat niet');
    expect((await trySignIn(server.url, address, password)).cookie).toBeUndefined();
  });

  it('an OpenID Connect sign-in with the invited address, verified by the provider, accepts the invitation; unverified does not', async () => {
    const id = await newDocument();
    const address = newAddress().toLowerCase();
    await api().post(`/api/documents/${id}/members`, { email: address, role: 'commenter' });
    const options = createAuthOptions(server.services.db, 'x'.repeat(32), {
      issuer: 'https://login.example.nl',
      clientId: 'c',
      clientSecret: 's',
      name: 'Entra ID',
    });
    const signInCallback = options.callbacks!.signIn! as (p: unknown) => Promise<boolean>;
    const attempt = (verified: boolean) =>
      signInCallback({
        user: { id: 'idp-sub', email: address, name: 'Burgemeester via Entra' },
        account: { provider: 'oidc' },
        profile: { email: address, email_verified: verified },
      });
    expect(await attempt(false)).toBe(false);
    expect(await findUserByEmail(server.services.db, address)).toBeUndefined();
    expect(await attempt(true)).toBe(true);
    const created = (await findUserByEmail(server.services.db, address))!;
    expect(created).toMatchObject({ name: 'Burgemeester via Entra', passwordHash: null });
    expect((await api().get(`/api/documents/${id}`)).body.members.map((m: { email: string }) => m.email)).toContain(
      address,
    );
    expect((await api().get(`/api/documents/${id}/invitations`)).body.invitations).toEqual([]);
  });

  it('only editors see and manage invitations; non-members get 404', async () => {
    const id = await newDocument();
    const viewer = await makeUser(server, 'Lezer');
    await api().post(`/api/documents/${id}/members`, { email: viewer.email, role: 'viewer' });
    const outsider = await makeUser(server, 'Buiten');
    const as = async (u: { email: string }) => apiClient(server.url, await signIn(server.url, u.email));
    expect((await (await as(viewer)).get(`/api/documents/${id}/invitations`)).status).toBe(403);
    expect(
      (await (await as(viewer)).post(`/api/documents/${id}/members`, { email: newAddress(), role: 'viewer' })).status,
    ).toBe(403);
    expect((await (await as(outsider)).get(`/api/documents/${id}/invitations`)).status).toBe(404);
  });

  it(`at most ${invitationsPerHour} invitations per editor per hour: the next one is 429`, async () => {
    const id = await newDocument();
    const busy = await makeUser(server, 'Druk');
    await api().post(`/api/documents/${id}/members`, { email: busy.email, role: 'editor' });
    const busyApi = apiClient(server.url, await signIn(server.url, busy.email));
    for (let i = 0; i < invitationsPerHour; i++)
      expect((await busyApi.post(`/api/documents/${id}/members`, { email: newAddress(), role: 'viewer' })).status).toBe(
        201,
      );
    const refused = await busyApi.post(`/api/documents/${id}/members`, { email: newAddress(), role: 'viewer' });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'rate_limited:invitations' });
    expect(refused.body.error.message).toContain('uitnodigingen');
    // Another editor is not affected.
    expect((await api().post(`/api/documents/${id}/members`, { email: newAddress(), role: 'viewer' })).status).toBe(
      201,
    );
  });
});
