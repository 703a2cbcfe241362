import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mailNotifications, mailOutbox } from '../../db/schema';
import { batchDueNotifications } from '../../server/mail/batcher';
import { mailConfig } from '../../server/mail/config';
import { mailLinks } from '../../server/mail/links';
import { claimDue, enqueueMail } from '../../server/mail/outbox';
import { nextDigestAt } from '../../server/mail/schedule';
import { apiClient, signIn } from '../helpers/http';
import { anchorIn, mailMatching, startThread } from '../helpers/mail';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';

/**
 * Batching ("immediate" over a window, "daily" at 08:00) and concurrent claims, with a 5 s batch window (ten
 * comments must fit in one window also on a loaded machine with PostgreSQL).
 */
const batchWindowMs = 5_000;
let server: TestServer;
let smtp: TestSmtpServer;
let editor: { id: string; email: string; name: string };
let mayor: { id: string; email: string; name: string };
let cookie: { editor: string; mayor: string };

beforeAll(async () => {
  smtp = await startSmtpServer();
  server = await startTestServer({ mail: { smtpUrl: smtp.url, batchWindowMs, pollMs: 50 } });
  editor = await makeUser(server, 'Anne');
  mayor = await makeUser(server, 'Daan', 'Gemeente Hengelo');
  cookie = { editor: await signIn(server.url, editor.email), mayor: await signIn(server.url, mayor.email) };
});
afterAll(async () => {
  await server?.dispose();
  await smtp?.stop();
});

async function documentWithMayor(title: string) {
  const api = apiClient(server.url, cookie.editor);
  const { body: doc } = await api.post('/api/documents', { title, template: 'voorstel' });
  await api.post(`/api/documents/${doc.id}/members`, { email: mayor.email, role: 'commenter' });
  return { id: doc.id as string, anchor: await anchorIn(server.url, doc.id, cookie.editor) };
}

describe('batching', () => {
  it('ten mentions in a row on one document make one mail with all ten', async () => {
    const doc = await documentWithMayor('Tien reacties');
    const threadId = await startThread(server.url, cookie.editor, doc.id, doc.anchor, 'Reactie 0', [mayor.id]);
    for (let i = 1; i < 10; i++) {
      await apiClient(server.url, cookie.editor).post(`/api/documents/${doc.id}/comments/${threadId}/replies`, {
        body: `Reactie ${i}`,
        mentions: [mayor.id],
      });
    }
    const mail = await mailMatching(smtp, (m) => m.to.includes(mayor.email) && m.text.includes(doc.id));
    expect(mail.subject).toBe('[Stukwerk] 10 nieuwe meldingen in "Tien reacties"');
    for (let i = 0; i < 10; i++) expect(mail.text).toContain(`> Reactie ${i}`);
    await new Promise((r) => setTimeout(r, batchWindowMs + 300)); // a window later: still the one mail
    await server.mail.runOnce();
    expect(smtp.messages.filter((m) => m.to.includes(mayor.email) && m.text.includes(doc.id))).toHaveLength(1);
  });

  it('"daily" holds the events until 08:00 Europe/Amsterdam and then sends one digest over every document', async () => {
    await apiClient(server.url, cookie.mayor).patch('/api/me/preferences', { email: 'daily' });
    const a = await documentWithMayor('Digest A');
    const b = await documentWithMayor('Digest B');
    await startThread(server.url, cookie.editor, a.id, a.anchor, 'Voor het overzicht A', [mayor.id]);
    await startThread(server.url, cookie.editor, b.id, b.anchor, 'Voor het overzicht B', [mayor.id]);
    await new Promise((r) => setTimeout(r, batchWindowMs + 300));
    await server.mail.runOnce();
    const waiting = await server.services.db
      .select()
      .from(mailNotifications)
      .where(eq(mailNotifications.userId, mayor.id));
    expect(waiting.filter((n) => !n.outboxId && [a.id, b.id].includes(n.documentId))).toHaveLength(2);
    expect(smtp.messages.filter((m) => m.text.includes('Voor het overzicht'))).toHaveLength(0);

    // The batcher at the next 08:00 (the clock is a parameter; the real sender then delivers the row).
    const config = mailConfig({ dataDir: '/tmp', publicHost: 'localhost' }, { batchWindowMs });
    const at = nextDigestAt(new Date(), 8, 'Europe/Amsterdam');
    expect(
      await batchDueNotifications(server.services.db, config, mailLinks(server.url), new Date(at.getTime() + 1_000)),
    ).toBe(1);
    const digest = await mailMatching(
      smtp,
      (m) => m.to.includes(mayor.email) && m.subject.startsWith('[Stukwerk] Dagelijks overzicht'),
    );
    expect(digest.subject).toBe('[Stukwerk] Dagelijks overzicht: 2 meldingen');
    expect(digest.text).toContain('in 2 documenten');
    expect(digest.text).toContain('in "Digest A"');
    expect(digest.text).toContain('in "Digest B"');
    await apiClient(server.url, cookie.mayor).patch('/api/me/preferences', { email: 'immediate' });
  });
});

describe('claims', () => {
  it('concurrent claims (FOR UPDATE SKIP LOCKED) never hand one row to two senders', async () => {
    const { db } = server.services;
    const future = new Date('2100-01-01T00:00:00Z'); // due only for this test's claims, never for the running sender
    const ids: string[] = [];
    await db.transaction(async (tx) => {
      for (let i = 0; i < 60; i++) {
        const { id } = await enqueueMail(tx, {
          kind: 'notifications',
          recipient: 'x@example.nl',
          domain: 'example.nl',
          subject: `claim ${i}`,
          text: 't',
          html: 'h',
        });
        ids.push(id);
      }
      await tx.update(mailOutbox).set({ nextAttemptAt: future }).where(inArray(mailOutbox.id, ids));
    });
    const later = new Date(future.getTime() + 1_000);
    const claims = await Promise.all(
      Array.from({ length: 6 }, () => claimDue(db, { claimLimit: 15, sendLeaseMs: 60_000 }, later)),
    );
    const claimed = claims
      .flat()
      .map((r) => r.id)
      .filter((id) => ids.includes(id));
    expect(claimed).toHaveLength(60);
    expect(new Set(claimed).size).toBe(60);
    await db.delete(mailOutbox).where(inArray(mailOutbox.id, ids));
  });

  it('a claim whose lease ran out (its process died mid-send) is claimed again, once', async () => {
    const { db } = server.services;
    const future = new Date('2100-01-01T00:00:00Z');
    // Queued and moved to the future in one transaction: the server's own sender must never see it due now (it
    // claimed it once in between in a run, making three attempts of two).
    const id = await db.transaction(async (tx) => {
      const queued = await enqueueMail(tx, {
        kind: 'notifications',
        recipient: 'y@example.nl',
        domain: 'example.nl',
        subject: 'lease',
        text: 't',
        html: 'h',
      });
      await tx.update(mailOutbox).set({ nextAttemptAt: future }).where(eq(mailOutbox.id, queued.id));
      return queued.id;
    });
    const first = await claimDue(db, { claimLimit: 5, sendLeaseMs: 60_000 }, future);
    expect(first.map((r) => r.id)).toContain(id);
    expect(
      (await claimDue(db, { claimLimit: 5, sendLeaseMs: 60_000 }, new Date(future.getTime() + 30_000))).map(
        (r) => r.id,
      ),
    ).not.toContain(id);
    const again = await claimDue(db, { claimLimit: 5, sendLeaseMs: 60_000 }, new Date(future.getTime() + 61_000));
    expect(again.find((r) => r.id === id)?.attempts).toBe(2);
    await db.delete(mailOutbox).where(eq(mailOutbox.id, id));
  });
});
