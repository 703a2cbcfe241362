import { useLocale, useTranslations } from 'next-intl';
import type { SignedOffInfo } from './editor/connection';
import { formatLongDate } from './labels';

/** The closing line of a signed-off voorstel: not part of the frozen text, but of its signed version. */
export function SignedClosing({ info }: { info: SignedOffInfo }) {
  const t = useTranslations('closing');
  const locale = useLocale();
  return (
    <section className="signed-closing" data-testid="signed-closing" aria-label={t('region')}>
      <p>
        <strong>{t('adopted', { date: info.meetingDate.trim() || formatLongDate(info.signedAt, locale) })}</strong>
      </p>
      <p>
        {t('chair')}
        <br />
        {info.signedBy}
      </p>
      <p className="muted">{t('signedOn', { date: formatLongDate(info.signedAt, locale) })}</p>
      <p className="muted hash">
        {t('hash')} <code>{info.sha256}</code>
      </p>
    </section>
  );
}
