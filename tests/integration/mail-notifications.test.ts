import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mailNotifications, mailOutbox } from '../../db/schema';
import { enqueueMail } from '../../server/mail/outbox';
import { queueNotifications } from '../../server/mail/notify';
import { apiClient, signIn } from '../helpers/http';
import { anchorIn, mailMatching, percentile, startThread } from '../helpers/mail';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';

/**
 * Notifications by e-mail through a real SMTP server, with the 2-minute batching switched off (batchWindowMs 0):
 * each event's mail is delivered on its own, so its path from the HTTP request to the SMTP server can be timed.
 */
type Who = 'editor' | 'mayor' | 'chair' | 'viewer';
let server: TestServer;
let smtp: TestSmtpServer;
const cookie = {} as Record<Who, string>;
const user = {} as Record<Who, { id: string; email: string; name: string }>;
const api = (who: Who) => apiClient(server.url, cookie[who]);

beforeAll(async () => {
  smtp = await startSmtpServer();
  server = await startTestServer({
    mail: { smtpUrl: smtp.url, batchWindowMs: 0, pollMs: 20, retryBaseMs: 200, retryMaxMs: 1_000 },
  });
  const names: Record<Who, [string, string?]> = {
    editor: ['Anne de Vries'],
    mayor: ['Daan Visser', 'Gemeente Enschede'],
    chair: ['Voorzitter Jansen'],
    viewer: ['Lezer'],
  };
  for (const [who, [name, org]] of Object.entries(names) as [Who, [string, string?]][]) {
    // The editor is an administrator: only an administrator grants the chair role.
    user[who] = await makeUser(server, name, org, { isAdmin: who === 'editor' });
    cookie[who] = await signIn(server.url, user[who].email);
  }
});
afterAll(async () => {
  await server?.dispose();
  await smtp?.stop();
});

async function documentWithMembers(title: string) {
  const { body: doc } = await api('editor').post('/api/documents', { title, template: 'voorstel' });
  for (const [who, role] of [
    ['mayor', 'commenter'],
    ['chair', 'chair'],
    ['viewer', 'viewer'],
  ] as const) {
    expect(
      (await api('editor').post(`/api/documents/${doc.id}/members`, { email: user[who].email, role })).status,
    ).toBe(201);
  }
  return { id: doc.id as string, anchor: await anchorIn(server.url, doc.id, cookie.editor) };
}

describe('notification mails', () => {
  it('a mention arrives as one multipart Dutch mail with the document, who, an escaped excerpt, a link to the thread and to the settings', async () => {
    const doc = await documentWithMembers('Regionale input <coalitieakkoorden> & meer');
    const body = 'Daan, kun je hier naar kijken? <script>alert("x")</script> <b>vet</b>';
    const threadId = await startThread(server.url, cookie.editor, doc.id, doc.anchor, body, [user.mayor.id]);

    const mail = await mailMatching(smtp, (m) => m.to.includes(user.mayor.email));
    expect(mail.subject).toBe(
      '[Stukwerk] Anne de Vries noemde je in een reactie in "Regionale input <coalitieakkoorden> & meer"',
    );
    expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@[^>]+>$/);
    const link = `${server.url}/documents/${doc.id}?thread=${threadId}`;
    expect(mail.text).toContain('Anne de Vries noemde je in een reactie');
    expect(mail.text).toContain('> Daan, kun je hier naar kijken? <script>alert("x")</script> <b>vet</b>');
    expect(mail.text).toContain(link);
    expect(mail.text).toContain(`${server.url}/settings`);
    // The HTML part shows the user's text as text: escaped, never a live element.
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;b&gt;vet&lt;/b&gt;');
    expect(mail.html).not.toMatch(/<script|<b>vet/);
    expect(mail.html).toContain('Regionale input &lt;coalitieakkoorden&gt; &amp; meer');
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.html).toContain(`href="${server.url}/settings"`);
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    // Nobody else was mentioned, and the author never mails themselves.
    expect(smtp.to(user.editor.email)).toHaveLength(0);
    expect(smtp.to(user.viewer.email)).toHaveLength(0);
  });

  it('measures a mention from the HTTP request to the received SMTP message (p50/p99, batching off)', async () => {
    const doc = await documentWithMembers('Latentie');
    const threadId = await startThread(server.url, cookie.editor, doc.id, doc.anchor, 'Begin van de discussie.');
    const latencies: number[] = [];
    for (let i = 0; i < 40; i++) {
      const marker = `meting-${i}-${Math.random().toString(36).slice(2)}`;
      const started = Date.now();
      const res = await api('editor').post(`/api/documents/${doc.id}/comments/${threadId}/replies`, {
        body: `Zie ${marker}`,
        mentions: [user.mayor.id],
      });
      expect(res.status).toBe(201);
      const mail = await mailMatching(smtp, (m) => m.text.includes(marker));
      latencies.push(mail.receivedAt - started);
    }
    latencies.sort((a, b) => a - b);
    console.log(
      `[mail] mention → SMTP (n=${latencies.length}, poll 20 ms): p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies.at(-1)} ms`,
    );
    expect(latencies).toHaveLength(40);
  });

  it('every mailed event also stays in the in-app list, linked to its thread or document, and can be marked read', async () => {
    const doc = await documentWithMembers('Meldingen in de app');
    const threadId = await startThread(server.url, cookie.mayor, doc.id, doc.anchor, 'Een vraag.');
    const replies = `/api/documents/${doc.id}/comments/${threadId}/replies`;
    expect((await api('editor').post(replies, { body: 'Een antwoord.', mentions: [] })).status).toBe(201);
    expect((await api('editor').post(`/api/documents/${doc.id}/comments/${threadId}/resolve`)).status).toBe(200);
    expect((await api('editor').post(`/api/documents/${doc.id}/status`, { status: 'review' })).status).toBe(200);
    type Item = {
      id: string;
      kind: string;
      documentId: string;
      threadId: string | null;
      excerpt: string;
      readAt: string | null;
    };
    const list = async () =>
      (await api('mayor').get('/api/notifications')).body as { notifications: Item[]; unread: number };
    const mine = (await list()).notifications.filter((n) => n.documentId === doc.id);
    expect(mine.map((n) => n.kind).sort()).toEqual(['document_review', 'reply', 'thread_resolved']);
    expect(mine.find((n) => n.kind === 'reply')).toMatchObject({ threadId, excerpt: 'Een antwoord.', readAt: null });
    expect(mine.find((n) => n.kind === 'document_review')!.threadId).toBeNull();
    const before = (await list()).unread;
    expect((await api('mayor').post(`/api/notifications/${mine[0]!.id}/read`)).status).toBe(200);
    expect((await list()).unread).toBe(before - 1);
    // Nobody else's list shows them.
    const viewer = ((await api('viewer').get('/api/notifications')).body as { notifications: Item[] }).notifications;
    expect(viewer.filter((n) => n.documentId === doc.id && n.kind !== 'document_signed_off')).toEqual([]);
  });

  it('a reply mails the earlier writers; resolving and reopening mail the thread’s author', async () => {
    const doc = await documentWithMembers('Reacties');
    const threadId = await startThread(server.url, cookie.mayor, doc.id, doc.anchor, 'Vraag van de gemeente.');
    expect(
      (
        await api('editor').post(`/api/documents/${doc.id}/comments/${threadId}/replies`, {
          body: 'Antwoord van de behandelaar.',
          mentions: [],
        })
      ).status,
    ).toBe(201);
    const reply = await mailMatching(
      smtp,
      (m) => m.to.includes(user.mayor.email) && m.text.includes('Antwoord van de behandelaar.'),
    );
    expect(reply.text).toContain('Anne de Vries reageerde in een discussie waarin jij schreef');

    expect((await api('editor').post(`/api/documents/${doc.id}/comments/${threadId}/resolve`)).status).toBe(200);
    const resolved = await mailMatching(
      smtp,
      (m) =>
        m.to.includes(user.mayor.email) && m.text.includes('heeft jouw discussie afgerond') && m.text.includes(doc.id),
    );
    expect(resolved.text).toContain('Toelichting voor het algemeen bestuur'); // the quoted passage
    expect((await api('editor').post(`/api/documents/${doc.id}/comments/${threadId}/reopen`)).status).toBe(200);
    await mailMatching(
      smtp,
      (m) =>
        m.to.includes(user.mayor.email) && m.text.includes('heeft jouw discussie heropend') && m.text.includes(doc.id),
    );
  });

  it('review mails the commenters and the chair; the sign-off mails every member but the signer', async () => {
    const doc = await documentWithMembers('Workflow per e-mail');
    expect((await api('editor').post(`/api/documents/${doc.id}/status`, { status: 'review' })).status).toBe(200);
    for (const who of ['mayor', 'chair'] as const) {
      const m = await mailMatching(
        smtp,
        (x) => x.to.includes(user[who].email) && x.text.includes('ter bespreking gezet') && x.text.includes(doc.id),
      );
      expect(m.text).toContain(`${server.url}/documents/${doc.id}`);
    }
    expect((await api('editor').post(`/api/documents/${doc.id}/status`, { status: 'ready' })).status).toBe(200);
    expect((await api('chair').post(`/api/documents/${doc.id}/sign-off`)).status).toBe(200);
    for (const who of ['editor', 'mayor', 'viewer'] as const) {
      await mailMatching(
        smtp,
        (x) =>
          x.to.includes(user[who].email) &&
          x.text.includes('heeft het document vastgesteld') &&
          x.text.includes(doc.id),
      );
    }
    await server.mail.runOnce();
    const about = (who: Who, phrase: string) =>
      smtp.to(user[who].email).filter((m) => m.text.includes(phrase) && m.text.includes(doc.id));
    expect(about('editor', 'ter bespreking gezet')).toHaveLength(0); // the editor moved it
    expect(about('viewer', 'ter bespreking gezet')).toHaveLength(0);
    expect(about('chair', 'heeft het document vastgesteld')).toHaveLength(0); // the signer
  });

  it('an event whose transaction rolls back sends nothing', async () => {
    const doc = await documentWithMembers('Terugdraaien');
    const marker = `teruggedraaid-${Date.now()}`;
    await expect(
      server.services.db.transaction(async (tx) => {
        await queueNotifications(tx, 'mention', [user.mayor.id], {
          actorId: user.editor.id,
          documentId: doc.id,
          excerpt: marker,
        });
        await enqueueMail(tx, {
          kind: 'notifications',
          recipient: user.mayor.email,
          domain: 'example.nl',
          subject: marker,
          text: marker,
          html: marker,
        });
        throw new Error('the event fails after its mail was queued');
      }),
    ).rejects.toThrow('the event fails');
    await server.mail.runOnce();
    await server.mail.runOnce();
    expect(await server.services.db.select().from(mailOutbox).where(eq(mailOutbox.subject, marker))).toHaveLength(0);
    expect(
      await server.services.db.select().from(mailNotifications).where(eq(mailNotifications.excerpt, marker)),
    ).toHaveLength(0);
    expect(smtp.messages.filter((m) => m.text.includes(marker) || m.subject.includes(marker))).toHaveLength(0);
  });

  it('with the preference "off" a mention mails nothing (and stays in the in-app list)', async () => {
    const doc = await documentWithMembers('Stilte');
    expect((await api('mayor').patch('/api/me/preferences', { email: 'off' })).body).toEqual({ email: 'off' });
    expect((await api('mayor').get('/api/me/preferences')).body).toEqual({ email: 'off' });
    expect((await api('mayor').patch('/api/me/preferences', { email: 'weekly' })).status).toBe(400);
    const marker = `stil-${Date.now()}`;
    await startThread(server.url, cookie.editor, doc.id, doc.anchor, marker, [user.mayor.id]);
    await vi.waitFor(async () =>
      expect(
        await server.services.db.select().from(mailNotifications).where(eq(mailNotifications.excerpt, marker)),
      ).toHaveLength(0),
    );
    await server.mail.runOnce();
    expect(smtp.messages.filter((m) => m.text.includes(marker))).toHaveLength(0);
    const inApp = await api('mayor').get('/api/notifications');
    expect(inApp.body.notifications.some((n: { excerpt: string }) => n.excerpt === marker)).toBe(true);
    await api('mayor').patch('/api/me/preferences', { email: 'immediate' });
  });
});

describe('the outbox under an SMTP outage', () => {
  it('queues every mail while the SMTP server is down, nothing blocks a request, and each arrives exactly once when it is back', async () => {
    const doc = await documentWithMembers('Storing');
    const threadId = await startThread(server.url, cookie.editor, doc.id, doc.anchor, 'Begin.');
    await server.mail.runOnce();
    await smtp.stop();
    const markers: string[] = [];
    const requestMs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const marker = `storing-${i}-${Math.random().toString(36).slice(2)}`;
      markers.push(marker);
      const started = Date.now();
      const res = await api('editor').post(`/api/documents/${doc.id}/comments/${threadId}/replies`, {
        body: marker,
        mentions: [user.mayor.id, user.chair.id],
      });
      requestMs.push(Date.now() - started);
      expect(res.status).toBe(201);
    }
    // Every event is in the outbox, tried and waiting (none sent, none lost). Replies that landed within one
    // sender tick share a mail (batching per person and document), so count events per recipient, not rows.
    const covers = (rows: { recipient: string; text: string }[], who: 'mayor' | 'chair', marker: string) =>
      rows.filter((r) => r.recipient.includes(user[who].email) && r.text.includes(marker)).length;
    const pending = await vi.waitFor(
      async () => {
        const rows = (
          await server.services.db.select().from(mailOutbox).where(eq(mailOutbox.documentId, doc.id))
        ).filter((r) => markers.some((m) => r.textBody?.includes(m)));
        for (const marker of markers)
          for (const who of ['mayor', 'chair'] as const)
            expect(
              covers(
                rows.map((r) => ({ recipient: r.recipient, text: r.textBody ?? '' })),
                who,
                marker,
              ),
            ).toBe(1);
        expect(rows.every((r) => r.status !== 'sent' && r.status !== 'failed')).toBe(true);
        expect(rows.some((r) => r.attempts > 0 && /ECONNREFUSED/.test(r.lastError ?? ''))).toBe(true);
        return rows;
      },
      { timeout: 10_000, interval: 50 },
    );
    const ours = () => smtp.messages.filter((m) => markers.some((x) => m.text.includes(x)));
    expect(ours()).toHaveLength(0);

    await smtp.start();
    await vi.waitFor(() => expect(ours()).toHaveLength(pending.length), { timeout: 20_000, interval: 50 });
    await server.mail.runOnce(); // anything still in flight would show up now as a duplicate
    const received = ours();
    for (const marker of markers) {
      for (const who of ['mayor', 'chair'] as const)
        expect(
          covers(
            received.map((m) => ({ recipient: m.to, text: m.text })),
            who,
            marker,
          ),
        ).toBe(1);
    }
    const ids = new Set(received.map((m) => m.messageId));
    expect(ids).toEqual(new Set(pending.map((r) => r.messageId)));
    console.log(
      `[mail] SMTP outage: ${markers.length * 2} notifications in ${pending.length} queued mails, delivered ${received.length}, duplicates ${received.length - ids.size}; ` +
        `reply requests during the outage p50 ${requestMs.sort((a, b) => a - b)[10]} ms, max ${requestMs.at(-1)} ms; attempts per mail before the restart up to ${Math.max(...pending.map((r) => r.attempts))}`,
    );
  });
});
