import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../server/mail/outbox';
import { mailLinks } from '../../server/mail/links';
import { escapeHtml, renderInvitation, renderNotifications } from '../../server/mail/templates';
import { describeSendError } from '../../server/mail/transport';

const links = mailLinks('https://stukwerk.vrtwente.nl/');
const item = {
  kind: 'mention' as const,
  actorName: 'Anne "<img src=x onerror=alert(1)>"',
  documentId: '0b6c4a4e-8d1f-4a53-9f53-2a1b8c3d4e5f',
  documentTitle: 'Voorstel </title><script>x()</script>',
  threadId: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  excerpt: 'Regel één\n<a href="javascript:alert(1)">klik</a> & meer',
  createdAt: new Date('2026-11-30T09:15:00Z'),
};

describe('mail templates', () => {
  it('escape every piece of user text in the HTML part and keep it verbatim in the text part', () => {
    const mail = renderNotifications(links, { recipientName: 'Daan <b>', items: [item], digest: false, locale: 'nl' });
    expect(mail.html).not.toMatch(/<script|<img|<a href="javascript|<b>/);
    expect(mail.html).toContain('Anne &quot;&lt;img src=x onerror=alert(1)&gt;&quot;');
    expect(mail.html).toContain('&lt;a href=&quot;javascript:alert(1)&quot;&gt;klik&lt;/a&gt; &amp; meer');
    expect(mail.html).toContain('Beste Daan &lt;b&gt;');
    expect(mail.text).toContain('> <a href="javascript:alert(1)">klik</a> & meer');
    expect(mail.text).toContain(
      'https://stukwerk.vrtwente.nl/documents/0b6c4a4e-8d1f-4a53-9f53-2a1b8c3d4e5f?thread=1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
    );
    expect(mail.text).toContain('E-mailinstellingen wijzigen: https://stukwerk.vrtwente.nl/settings');
    expect(mail.text).toContain('30 november 2026 om 10:15'); // Amsterdam time
  });

  it('keep subjects on one line whatever a title contains', () => {
    const mail = renderNotifications(links, {
      recipientName: 'Daan',
      items: [{ ...item, documentTitle: 'Twee\r\nBcc: x@y.nl' }],
      digest: false,
      locale: 'nl',
    });
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.subject).toContain('Twee Bcc: x@y.nl');
  });

  it('an invitation names the inviter, the document and the role, and links to the token once', () => {
    const mail = renderInvitation(links, {
      inviterName: 'Anne',
      documentTitle: 'Memo',
      role: 'chair',
      token: 'T'.repeat(43),
      expiresAt: new Date('2026-12-07T09:00:00Z'),
      locale: 'nl',
    });
    expect(mail.text).toContain('Anne nodigt je uit om als voorzitter mee te werken aan het document "Memo"');
    expect(mail.text).toContain(`https://stukwerk.vrtwente.nl/invite/${'T'.repeat(43)}`);
    expect(mail.html).toContain(`href="https://stukwerk.vrtwente.nl/invite/${'T'.repeat(43)}"`);
    expect(escapeHtml(`'`)).toBe('&#39;');
  });

  it('back off exponentially up to the cap, and never put an SMTP password in last_error', () => {
    const config = { retryBaseMs: 30_000, retryMaxMs: 3_600_000 };
    expect([1, 2, 3, 4, 10].map((a) => backoffMs(a, config))).toEqual([30_000, 60_000, 120_000, 240_000, 3_600_000]);
    expect(describeSendError(new Error('connect to smtp://user:geheim@mail.example.nl:587 failed'))).toBe(
      'connect to smtp://***@mail.example.nl:587 failed',
    );
  });

  it('speak the recipient’s language: English for a person who chose it, with English dates', () => {
    const mail = renderNotifications(links, { recipientName: 'Daan', items: [item], digest: false, locale: 'en' });
    expect(mail.subject).toContain('mentioned you in a comment');
    expect(mail.text).toContain('Dear Daan,');
    expect(mail.text).toContain('30 November 2026');
    expect(mail.html).toContain('<html lang="en">');
    expect(mail.text).not.toMatch(/Beste|noemde|E-mailinstellingen/);
  });
});
