import { intlLocale, timeZone, translator, type Locale } from '../../common/i18n';
import type { MailNotificationKind, MemberRole } from '../../db/schema';
import type { MailLinks } from './links';

/**
 * The mails, in the recipient's language (common/messages, namespace `mail`), as plain text and HTML. Everything a person typed (names, titles, comments) goes through
 * `escapeHtml` before it enters the HTML part and is never interpreted as markup; subjects lose control characters.
 */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** One event in a notification mail. */
export interface NotificationItem {
  kind: MailNotificationKind;
  actorName: string | null;
  documentId: string;
  documentTitle: string;
  threadId: string | null;
  excerpt: string | null;
  createdAt: Date;
}

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const oneLine = (value: string, max = 120) => {
  const flat = value
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

export const excerptOf = (body: string, max = 300) => (body.length > max ? `${body.slice(0, max - 1)}…` : body);

/** The words of one mail: the catalogue of its language, dates in the region's time zone. */
function wordsFor(locale: Locale) {
  const t = translator(locale);
  const dates = new Intl.DateTimeFormat(intlLocale[locale], { timeZone, dateStyle: 'long', timeStyle: 'short' });
  return {
    t,
    locale,
    when: (d: Date) => dates.format(d),
    actor: (item: NotificationItem) => item.actorName ?? t('mail.someone'),
  };
}
type Words = ReturnType<typeof wordsFor>;

function layout(w: Words, links: MailLinks, title: string, bodyHtml: string, footerText: string): string {
  return `<!doctype html>
<html lang="${w.locale}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1b1f24">
<div style="max-width:600px;margin:0 auto;background:#fff;border:1px solid #d8dce1;border-radius:6px;padding:24px">
<p style="margin:0 0 16px;font-weight:bold;color:#154273">Stukwerk</p>
${bodyHtml}
<hr style="border:none;border-top:1px solid #d8dce1;margin:24px 0 12px">
<p style="font-size:12px;color:#5b6470">${escapeHtml(footerText)} <a href="${escapeHtml(links.settings)}">${escapeHtml(w.t('mail.settings'))}</a></p>
</div></body></html>`;
}

const button = (href: string, label: string) =>
  `<p><a href="${escapeHtml(href)}" style="display:inline-block;background:#154273;color:#fff;padding:8px 14px;border-radius:4px;text-decoration:none">${escapeHtml(label)}</a></p>`;

function itemLink(links: MailLinks, item: NotificationItem) {
  return links.document(item.documentId, item.threadId);
}

function itemHtml(w: Words, links: MailLinks, item: NotificationItem, withTitle: boolean) {
  const title = withTitle ? ` in <strong>${escapeHtml(item.documentTitle)}</strong>` : '';
  const quote = item.excerpt
    ? `<blockquote style="margin:8px 0;padding:8px 12px;border-left:3px solid #8fa8c8;background:#f7f9fb;white-space:pre-wrap">${escapeHtml(item.excerpt)}</blockquote>`
    : '';
  return `<div style="margin:0 0 16px"><p style="margin:0"><strong>${escapeHtml(w.actor(item))}</strong> ${escapeHtml(w.t(`mail.what.${item.kind}`))}${title} <span style="color:#5b6470">(${escapeHtml(w.when(item.createdAt))})</span></p>${quote}${button(itemLink(links, item), item.threadId ? w.t('mail.viewThread') : w.t('mail.openDocument'))}</div>`;
}

function itemText(w: Words, links: MailLinks, item: NotificationItem, withTitle: boolean) {
  const lines = [
    `${w.actor(item)} ${w.t(`mail.what.${item.kind}`)}${withTitle ? ` in "${item.documentTitle}"` : ''} (${w.when(item.createdAt)})`,
  ];
  if (item.excerpt) lines.push(...item.excerpt.split('\n').map((l) => `> ${l}`));
  lines.push(itemLink(links, item), '');
  return lines.join('\n');
}

/** One mail for a person about one document (`digest`: false) or about everything of a day (`digest`: true). */
export function renderNotifications(
  links: MailLinks,
  input: { recipientName: string; items: NotificationItem[]; digest: boolean; locale: Locale },
): RenderedMail {
  const { items, digest } = input;
  const w = wordsFor(input.locale);
  const { t } = w;
  const first = items[0]!;
  const documents = new Set(items.map((i) => i.documentId));
  const title = oneLine(first.documentTitle, 80);
  const subject = digest
    ? t('mail.subjectDigest', { count: items.length })
    : items.length === 1
      ? t('mail.subjectOne', { actor: oneLine(w.actor(first), 60), what: t(`mail.whatShort.${first.kind}`), title })
      : t('mail.subjectMany', { count: items.length, title });
  const intro = digest
    ? t('mail.introDigest', { count: documents.size })
    : t('mail.introDocument', { title: first.documentTitle });
  const footer = digest ? t('mail.footerDigest') : t('mail.footerDocument');
  const greeting = t('mail.greeting', { name: input.recipientName });
  const text = [
    greeting,
    '',
    intro,
    '',
    ...items.map((i) => itemText(w, links, i, digest)),
    '--',
    footer,
    `${t('mail.settings')}: ${links.settings}`,
    '',
  ].join('\n');
  const html = layout(
    w,
    links,
    subject,
    `<p>${escapeHtml(greeting)}</p><p>${escapeHtml(intro)}</p>${items.map((i) => itemHtml(w, links, i, digest)).join('\n')}`,
    footer,
  );
  return { subject: oneLine(subject, 200), text, html };
}

export function renderInvitation(
  links: MailLinks,
  input: {
    inviterName: string;
    documentTitle: string;
    role: MemberRole;
    token: string;
    expiresAt: Date;
    /** The invitee has no account yet: the mail speaks the inviter's language. */
    locale: Locale;
  },
): RenderedMail {
  const w = wordsFor(input.locale);
  const { t } = w;
  const url = links.invitation(input.token);
  const role = t(`mail.role.${input.role}`);
  const subject = t('mail.invitation.subject', {
    inviter: oneLine(input.inviterName, 60),
    title: oneLine(input.documentTitle, 80),
  });
  const sentence = t('mail.invitation.sentence', { inviter: input.inviterName, role, title: input.documentTitle });
  const validity = t('mail.invitation.validity', { expires: w.when(input.expiresAt) });
  const footer = t('mail.invitation.footer');
  const text = [
    t('mail.hello'),
    '',
    sentence,
    '',
    t('mail.invitation.acceptColon'),
    url,
    '',
    validity,
    '',
    '--',
    footer,
    `${t('mail.settingsShort')}: ${links.settings}`,
    '',
  ].join('\n');
  const html = layout(
    w,
    links,
    subject,
    `<p>${escapeHtml(t('mail.hello'))}</p><p>${escapeHtml(sentence)}</p>${button(url, t('mail.invitation.accept'))}<p style="font-size:13px;color:#5b6470">${escapeHtml(validity)}<br>${escapeHtml(t('mail.invitation.copyLink', { url }))}</p>`,
    footer,
  );
  return { subject: oneLine(subject, 200), text, html };
}
