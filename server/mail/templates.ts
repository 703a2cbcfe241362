import type { MailNotificationKind, MemberRole } from '../../db/schema';
import type { RoundPosition } from '../../common/rounds';
import { intlLocale, timeZone, translator, type Locale } from '../../common/i18n';
import type { MailLinks } from './links';

/**
 * The mails, in Dutch, as plain text and HTML. Everything a person typed (names, titles, comments) goes through
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

const roleNames: Record<MemberRole, string> = {
  editor: 'behandelaar',
  commenter: 'reageerder',
  chair: 'voorzitter',
  viewer: 'lezer',
};

const what: Record<MailNotificationKind, string> = {
  mention: 'noemde je in een reactie',
  reply: 'reageerde in een discussie waarin jij schreef',
  thread_resolved: 'heeft jouw discussie afgerond',
  thread_reopened: 'heeft jouw discussie heropend',
  document_review: 'heeft het document ter bespreking gezet: je reactie wordt gevraagd',
  document_signed_off: 'heeft het document vastgesteld',
};

const amsterdam = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'Europe/Amsterdam',
  dateStyle: 'long',
  timeStyle: 'short',
});
const when = (d: Date) => amsterdam.format(d);
const actor = (item: NotificationItem) => item.actorName ?? 'Iemand';

function layout(
  links: MailLinks,
  title: string,
  bodyHtml: string,
  footerText: string,
  lang: { code: string; settings: string } = { code: 'nl', settings: 'E-mailinstellingen wijzigen' },
): string {
  return `<!doctype html>
<html lang="${lang.code}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1b1f24">
<div style="max-width:600px;margin:0 auto;background:#fff;border:1px solid #d8dce1;border-radius:6px;padding:24px">
<p style="margin:0 0 16px;font-weight:bold;color:#154273">Stukwerk</p>
${bodyHtml}
<hr style="border:none;border-top:1px solid #d8dce1;margin:24px 0 12px">
<p style="font-size:12px;color:#5b6470">${escapeHtml(footerText)} <a href="${escapeHtml(links.settings)}">${escapeHtml(lang.settings)}</a></p>
</div></body></html>`;
}

const button = (href: string, label: string) =>
  `<p><a href="${escapeHtml(href)}" style="display:inline-block;background:#154273;color:#fff;padding:8px 14px;border-radius:4px;text-decoration:none">${escapeHtml(label)}</a></p>`;

function itemLink(links: MailLinks, item: NotificationItem) {
  return links.document(item.documentId, item.threadId);
}

function itemHtml(links: MailLinks, item: NotificationItem, withTitle: boolean) {
  const title = withTitle ? ` in <strong>${escapeHtml(item.documentTitle)}</strong>` : '';
  const quote = item.excerpt
    ? `<blockquote style="margin:8px 0;padding:8px 12px;border-left:3px solid #8fa8c8;background:#f7f9fb;white-space:pre-wrap">${escapeHtml(item.excerpt)}</blockquote>`
    : '';
  return `<div style="margin:0 0 16px"><p style="margin:0"><strong>${escapeHtml(actor(item))}</strong> ${escapeHtml(what[item.kind])}${title} <span style="color:#5b6470">(${escapeHtml(when(item.createdAt))})</span></p>${quote}${button(itemLink(links, item), item.threadId ? 'Bekijk de discussie' : 'Open het document')}</div>`;
}

function itemText(links: MailLinks, item: NotificationItem, withTitle: boolean) {
  const lines = [
    `${actor(item)} ${what[item.kind]}${withTitle ? ` in "${item.documentTitle}"` : ''} (${when(item.createdAt)})`,
  ];
  if (item.excerpt) lines.push(...item.excerpt.split('\n').map((l) => `> ${l}`));
  lines.push(itemLink(links, item), '');
  return lines.join('\n');
}

/** One mail for a person about one document (`digest`: false) or about everything of a day (`digest`: true). */
export function renderNotifications(
  links: MailLinks,
  input: { recipientName: string; items: NotificationItem[]; digest: boolean },
): RenderedMail {
  const { items, digest } = input;
  const first = items[0]!;
  const documents = new Set(items.map((i) => i.documentId));
  const subject = digest
    ? `[Stukwerk] Dagelijks overzicht: ${items.length} ${items.length === 1 ? 'melding' : 'meldingen'}`
    : items.length === 1
      ? `[Stukwerk] ${oneLine(actor(first), 60)} ${what[first.kind].split(':')[0]} in "${oneLine(first.documentTitle, 80)}"`
      : `[Stukwerk] ${items.length} nieuwe meldingen in "${oneLine(first.documentTitle, 80)}"`;
  const intro = digest
    ? `Dit gebeurde sinds het vorige overzicht in ${documents.size === 1 ? 'een document' : `${documents.size} documenten`} waarvan je lid bent:`
    : `Er is nieuws in het document "${first.documentTitle}":`;
  const footer = digest
    ? 'Je krijgt dit overzicht elke ochtend om 08:00 omdat je dat zo hebt ingesteld.'
    : 'Je krijgt deze e-mail omdat je lid bent van dit document in Stukwerk.';
  const text = [
    `Beste ${input.recipientName},`,
    '',
    intro,
    '',
    ...items.map((i) => itemText(links, i, digest)),
    '--',
    footer,
    `E-mailinstellingen wijzigen: ${links.settings}`,
    '',
  ].join('\n');
  const html = layout(
    links,
    subject,
    `<p>Beste ${escapeHtml(input.recipientName)},</p><p>${escapeHtml(intro)}</p>${items.map((i) => itemHtml(links, i, digest)).join('\n')}`,
    footer,
  );
  return { subject: oneLine(subject, 200), text, html };
}

export function renderInvitation(
  links: MailLinks,
  input: { inviterName: string; documentTitle: string; role: MemberRole; token: string; expiresAt: Date },
): RenderedMail {
  const url = links.invitation(input.token);
  const role = roleNames[input.role];
  const subject = `[Stukwerk] ${oneLine(input.inviterName, 60)} nodigt je uit voor "${oneLine(input.documentTitle, 80)}"`;
  const sentence = `${input.inviterName} nodigt je uit om als ${role} mee te werken aan het document "${input.documentTitle}" in Stukwerk, de samenwerkomgeving van de Veiligheidsregio Twente.`;
  const validity = `De uitnodiging is geldig tot ${when(input.expiresAt)} en werkt één keer. Je kiest zelf je naam en een wachtwoord van minstens 12 tekens.`;
  const footer =
    'Je krijgt deze e-mail omdat iemand je e-mailadres heeft uitgenodigd. Verwachtte je dit niet, dan kun je hem negeren.';
  const text = [
    'Goedendag,',
    '',
    sentence,
    '',
    'Uitnodiging aannemen:',
    url,
    '',
    validity,
    '',
    '--',
    footer,
    `E-mailinstellingen: ${links.settings}`,
    '',
  ].join('\n');
  const html = layout(
    links,
    subject,
    `<p>Goedendag,</p><p>${escapeHtml(sentence)}</p>${button(url, 'Uitnodiging aannemen')}<p style="font-size:13px;color:#5b6470">${escapeHtml(validity)}<br>Werkt de knop niet? Kopieer dan deze link: ${escapeHtml(url)}</p>`,
    footer,
  );
  return { subject: oneLine(subject, 200), text, html };
}

/** The consultation round's mails (server/rounds/notify.ts), in the recipient's own language. */
export type RoundMailText = 'request' | 'reminder_before' | 'reminder_due_day' | 'all_answered' | 'closed';

export function renderRoundMail(
  links: MailLinks,
  locale: Locale,
  input: {
    kind: RoundMailText;
    recipientName: string;
    documentId: string;
    documentTitle: string;
    openerName: string | null;
    question: string;
    dueAt: Date;
    counts: Record<RoundPosition | 'none', number>;
  },
): RenderedMail {
  const t = translator(locale);
  const due = new Intl.DateTimeFormat(intlLocale[locale], { timeZone, dateStyle: 'full', timeStyle: 'short' }).format(
    input.dueAt,
  );
  const total = Object.values(input.counts).reduce((a, b) => a + b, 0);
  const title = oneLine(input.documentTitle, 80);
  const toEditors = input.kind === 'all_answered' || input.kind === 'closed';
  const subject = t(`roundMail.${input.kind}.subject`, { title });
  const intro = t(`roundMail.${input.kind}.intro`, {
    title: input.documentTitle,
    opener: input.openerName ?? 'Stukwerk',
    total,
    answered: total - input.counts.none,
  });
  const counts = toEditors ? t('roundMail.counts', input.counts) : null;
  const dueLine = toEditors ? null : t('roundMail.due', { due });
  const footer = t(toEditors ? 'roundMail.footerEditor' : 'roundMail.footerReviewer');
  const url = links.document(input.documentId);
  const action = t(toEditors ? 'roundMail.openDocument' : 'roundMail.giveAnswer');
  const greeting = t('roundMail.greeting', { name: input.recipientName });
  const text = [
    greeting,
    '',
    intro,
    '',
    t('roundMail.questionLabel'),
    ...input.question.split('\n').map((l) => `> ${l}`),
    '',
    ...(dueLine ? [dueLine, ''] : []),
    ...(counts ? [counts, ''] : []),
    `${action}: ${url}`,
    '',
    '--',
    footer,
    `${t('roundMail.settings')}: ${links.settings}`,
    '',
  ].join('\n');
  const html = layout(
    links,
    subject,
    `<p>${escapeHtml(greeting)}</p><p>${escapeHtml(intro)}</p><p style="margin:0">${escapeHtml(t('roundMail.questionLabel'))}</p><blockquote style="margin:8px 0;padding:8px 12px;border-left:3px solid #8fa8c8;background:#f7f9fb;white-space:pre-wrap">${escapeHtml(input.question)}</blockquote>${dueLine ? `<p>${escapeHtml(dueLine)}</p>` : ''}${counts ? `<p>${escapeHtml(counts)}</p>` : ''}${button(url, action)}`,
    footer,
    { code: locale, settings: t('roundMail.settings') },
  );
  return { subject: oneLine(subject, 200), text, html };
}
