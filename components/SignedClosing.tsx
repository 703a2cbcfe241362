import { useLocale, useTranslations } from 'next-intl';
import { createTranslator } from 'use-intl/core';
import nl from '@/common/messages/nl.json';
import type { SignedOffInfo } from './editor/connection';
import { formatLongDate } from './labels';

/**
 * The adoption statement and the chair's signature line are words of the voorstel itself, which is Dutch: they read
 * the same on an English page as in every export (server/export/model.ts). Only the lines about the sign-off record
 * (when, which hash) follow the page's language.
 */
const documentText = createTranslator({ locale: 'nl', messages: { closing: nl.closing }, namespace: 'closing' });

/** The closing line of a signed-off voorstel: not part of the frozen text, but of its signed version. */
export function SignedClosing({ info }: { info: SignedOffInfo }) {
  const t = useTranslations('closing');
  const locale = useLocale();
  return (
    <section className="signed-closing" data-testid="signed-closing" aria-label={t('region')}>
      <div lang="nl">
        <p>
          <strong>
            {documentText('adopted', { date: info.meetingDate.trim() || formatLongDate(info.signedAt, 'nl') })}
          </strong>
        </p>
        <p>
          {documentText('chair')}
          <br />
          {info.signedBy}
        </p>
      </div>
      <p className="muted">{t('signedOn', { date: formatLongDate(info.signedAt, locale) })}</p>
      <p className="muted hash">
        {t('hash')} <code>{info.sha256}</code>
      </p>
    </section>
  );
}
