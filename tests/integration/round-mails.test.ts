/**
 * The consultation round's e-mails through the real outbox and a real SMTP server: the request to every reviewer,
 * the two reminders to those who have not answered (each once, at its moment), "everyone answered" and "round
 * closed" to the editors, each in the recipient's own language. The round timer runs on a clock the test moves
 * forward (server option `rounds.now`), so the days between opening and due date take no time.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mailOutbox, roundMails, users } from '../../db/schema';
import { reminderTimes } from '../../server/rounds/reminders';
import { apiClient, signIn } from '../helpers/http';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';

type Who = 'editor' | 'enschede' | 'hengelo' | 'chair' | 'viewer';
let server: TestServer;
let smtp: TestSmtpServer;
let offsetMs = 0;
const now = () => new Date(Date.now() + offsetMs);
const cookie = {} as Record<Who, string>;
const user = {} as Record<Who, { id: string; email: string }>;
const api = (who: Who) => apiClient(server.url, cookie[who]);

beforeAll(async () => {
  smtp = await startSmtpServer();
  server = await startTestServer({
    mail: { smtpUrl: smtp.url, batchWindowMs: 0, pollMs: 20, retryBaseMs: 200, retryMaxMs: 1_000 },
    rounds: { now },
  });
  const people: Record<Who, [string, string, 'nl' | 'en']> = {
    editor: ['Anne de Vries', 'Veiligheidsregio Twente', 'en'],
    enschede: ['Daan Visser', 'Gemeente Enschede', 'nl'],
    hengelo: ['Eva Jansen', 'Gemeente Hengelo', 'en'],
    chair: ['Carla Smit', 'Veiligheidsregio Twente', 'nl'],
    viewer: ['Lezer', 'Gemeente Almelo', 'nl'],
  };
  for (const [who, [name, org, locale]] of Object.entries(people) as [Who, [string, string, 'nl' | 'en']][]) {
    user[who] = await makeUser(server, name, org, { isAdmin: who === 'editor' });
    await server.services.db.update(users).set({ locale }).where(eq(users.id, user[who].id));
    cookie[who] = await signIn(server.url, user[who].email);
  }
});
afterAll(async () => {
  await server?.dispose();
  await smtp?.stop();
});

/** The round mails queued so far for this round, as [person, kind]. */
async function queued(roundId: string) {
  const rows = await server.services.db
    .select({ userId: roundMails.userId, kind: roundMails.kind })
    .from(roundMails)
    .where(eq(roundMails.roundId, roundId));
  const name = (id: string) => (Object.keys(user) as Who[]).find((w) => user[w].id === id);
  return rows.map((r) => `${name(r.userId)}:${r.kind}`).sort();
}

/** The delivered mail of this round mail row (waits for the SMTP server to have it). */
async function delivered(roundId: string, who: Who, kind: string) {
  const [row] = await server.services.db
    .select({ messageId: mailOutbox.messageId })
    .from(roundMails)
    .innerJoin(mailOutbox, eq(mailOutbox.id, roundMails.outboxId))
    .where(
      and(eq(roundMails.roundId, roundId), eq(roundMails.userId, user[who].id), eq(roundMails.kind, kind as 'request')),
    );
  expect(row, `${who} ${kind} queued`).toBeDefined();
  return vi.waitFor(
    () => {
      const mail = smtp.messages.find((m) => m.messageId === row!.messageId);
      if (!mail) throw new Error('not delivered yet');
      return mail;
    },
    { timeout: 10_000, interval: 10 },
  );
}

async function moveClockTo(at: Date) {
  offsetMs = at.getTime() - Date.now();
  await server.roundTimer.tick();
}

describe('consultation round e-mails', () => {
  it('request, both reminders once to who has not answered, all answered and closed: each kind once, in each person’s language', async () => {
    const { body: doc } = await api('editor').post('/api/documents', {
      title: 'Regionale input <coalitieakkoorden>',
      template: 'voorstel',
    });
    for (const [who, role] of [
      ['enschede', 'commenter'],
      ['hengelo', 'commenter'],
      ['chair', 'chair'],
      ['viewer', 'viewer'],
    ] as const) {
      expect(
        (await api('editor').post(`/api/documents/${doc.id}/members`, { email: user[who].email, role })).status,
      ).toBe(201);
    }
    const dueAt = new Date(Date.now() + 9 * 24 * 3_600_000);
    const opened = await api('editor').post(`/api/documents/${doc.id}/rounds`, {
      question: 'Kunt u instemmen met de regionale input?',
      dueAt: dueAt.toISOString(),
    });
    expect(opened.status).toBe(201);
    const roundId: string = opened.body.round.id;
    expect(await queued(roundId)).toEqual(['chair:request', 'enschede:request', 'hengelo:request']);

    const nl = await delivered(roundId, 'enschede', 'request');
    expect(nl.subject).toBe('[Stukwerk] Je standpunt gevraagd over "Regionale input <coalitieakkoorden>"');
    expect(nl.text).toContain('Beste Daan Visser,');
    expect(nl.text).toContain('Kunt u instemmen met de regionale input?');
    expect(nl.text).toContain(`/documents/${doc.id}`);
    expect(nl.html).toContain('&lt;coalitieakkoorden&gt;');
    expect(nl.html).not.toContain('<coalitieakkoorden>');
    const en = await delivered(roundId, 'hengelo', 'request');
    expect(en.subject).toBe('[Stukwerk] Your position is requested on "Regionale input <coalitieakkoorden>"');
    expect(en.text).toContain('Dear Eva Jansen,');
    expect(en.html).toContain('<html lang="en">');

    const [before, onTheDay] = reminderTimes({ createdAt: new Date(opened.body.round.createdAt), dueAt });
    expect([before?.kind, onTheDay?.kind]).toEqual(['reminder_before', 'reminder_due_day']);

    // Enschede answers; a minute before the first reminder nothing more is queued.
    expect(
      (await api('enschede').put(`/api/documents/${doc.id}/rounds/${roundId}/response`, { position: 'agree' })).status,
    ).toBe(200);
    await moveClockTo(new Date(before!.at.getTime() - 60_000));
    expect(await queued(roundId)).toHaveLength(3);

    // At the reminder's moment: those who have not answered, once, even with the timer running twice more and two
    // runs at the same moment (as two processes would).
    await moveClockTo(new Date(before!.at.getTime() + 1_000));
    await server.roundTimer.tick();
    await Promise.all([server.services.rounds.sendDueReminders(now()), server.services.rounds.sendDueReminders(now())]);
    expect(await queued(roundId)).toEqual([
      'chair:reminder_before',
      'chair:request',
      'enschede:request',
      'hengelo:reminder_before',
      'hengelo:request',
    ]);
    expect((await delivered(roundId, 'chair', 'reminder_before')).subject).toBe(
      '[Stukwerk] Herinnering: je standpunt over "Regionale input <coalitieakkoorden>"',
    );

    // Hengelo answers; on the due day only the chair is reminded.
    expect(
      (
        await api('hengelo').put(`/api/documents/${doc.id}/rounds/${roundId}/response`, {
          position: 'disagree',
          remark: 'Te weinig aandacht voor de kosten.',
        })
      ).status,
    ).toBe(200);
    await moveClockTo(new Date(onTheDay!.at.getTime() + 1_000));
    await server.roundTimer.tick();
    expect((await queued(roundId)).filter((k) => k.includes('reminder_due_day'))).toEqual(['chair:reminder_due_day']);
    expect((await delivered(roundId, 'chair', 'reminder_due_day')).subject).toContain('Vandaag de laatste dag');

    // The chair answers, then changes their answer: the editor hears once that everyone answered, in English, with
    // the counts at that moment.
    expect(
      (await api('chair').put(`/api/documents/${doc.id}/rounds/${roundId}/response`, { position: 'abstain' })).status,
    ).toBe(200);
    expect(
      (await api('chair').put(`/api/documents/${doc.id}/rounds/${roundId}/response`, { position: 'agree' })).status,
    ).toBe(200);
    const all = await delivered(roundId, 'editor', 'all_answered');
    expect(all.subject).toBe('[Stukwerk] Everyone has answered on "Regionale input <coalitieakkoorden>"');
    expect(all.text).toContain('Agree: 1 · Agree with remarks: 0 · Disagree: 1 · Abstain: 1 · No answer: 0');

    // The due date passes: the timer closes the round and the editor is told.
    await moveClockTo(new Date(dueAt.getTime() + 1_000));
    expect((await api('viewer').get(`/api/documents/${doc.id}/rounds/${roundId}`)).body.round.status).toBe('closed');
    const closed = await delivered(roundId, 'editor', 'closed');
    expect(closed.text).toContain('3 of the 3 reviewers answered');
    await server.roundTimer.tick();

    const perKind: Record<string, number> = {};
    for (const k of await queued(roundId)) perKind[k.split(':')[1]!] = (perKind[k.split(':')[1]!] ?? 0) + 1;
    expect(perKind).toEqual({ request: 3, reminder_before: 2, reminder_due_day: 1, all_answered: 1, closed: 1 });
    expect((await queued(roundId)).some((k) => k.startsWith('viewer:'))).toBe(false);
    const outbox = await server.services.db
      .select({ id: mailOutbox.id })
      .from(mailOutbox)
      .where(and(eq(mailOutbox.documentId, doc.id), eq(mailOutbox.kind, 'round')));
    expect(outbox).toHaveLength(8);
  });

  it('someone whose e-mail preference is "off" gets no round mail; the others do', async () => {
    expect((await api('hengelo').patch('/api/me/preferences', { email: 'off' })).status).toBe(200);
    try {
      const { body: doc } = await api('editor').post('/api/documents', {
        title: 'Begroting 2028',
        template: 'voorstel',
      });
      for (const who of ['enschede', 'hengelo'] as const)
        await api('editor').post(`/api/documents/${doc.id}/members`, { email: user[who].email, role: 'commenter' });
      const opened = await api('editor').post(`/api/documents/${doc.id}/rounds`, {
        question: 'Stemt u in met de begroting?',
        dueAt: new Date(Date.now() + 9 * 24 * 3_600_000).toISOString(),
      });
      expect(opened.status).toBe(201);
      const roundId: string = opened.body.round.id;
      // Decided once for each: Hengelo's request is settled (no later mail), but nothing was queued for it.
      expect(await queued(roundId)).toEqual(['enschede:request', 'hengelo:request']);
      expect((await delivered(roundId, 'enschede', 'request')).subject).toContain('Begroting 2028');
      const toHengelo = await server.services.db
        .select({ id: mailOutbox.id })
        .from(mailOutbox)
        .where(and(eq(mailOutbox.documentId, doc.id), eq(mailOutbox.userId, user.hengelo.id)));
      expect(toHengelo).toEqual([]);
      expect(smtp.to(user.hengelo.email).some((m) => m.subject.includes('Begroting 2028'))).toBe(false);
    } finally {
      await api('hengelo').patch('/api/me/preferences', { email: 'immediate' });
    }
  });
});
