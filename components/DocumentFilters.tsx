import { useTranslations } from 'next-intl';

/**
 * The document list's filters as a plain GET form (`/?meeting=…&status=…&mine=1`): it works without JavaScript,
 * and a filtered list is a link one can keep. "Needs my input" is defined in server/meetings (documentIdsNeedingInput).
 */
export function DocumentFilters({
  meetings,
  current,
}: {
  meetings: { id: string; label: string }[];
  current: { meeting?: string; status?: string; mine?: string };
}) {
  const t = useTranslations('meetings.filter');
  const tStatus = useTranslations('status.label');
  const statuses = ['draft', 'review', 'ready', 'signed_off'] as const;
  return (
    <form method="get" action="/" className="form inline-form document-filters" aria-label={t('legend')}>
      <label>
        {t('meeting')}
        <select name="meeting" defaultValue={current.meeting ?? ''}>
          <option value="">{t('any')}</option>
          {meetings.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('status')}
        <select name="status" defaultValue={current.status ?? ''}>
          <option value="">{t('any')}</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {tStatus(s)}
            </option>
          ))}
        </select>
      </label>
      <label className="checkbox">
        <input type="checkbox" name="mine" value="1" defaultChecked={current.mine === '1'} /> {t('mine')}
      </label>
      <button type="submit">{t('apply')}</button>
      {(current.meeting || current.status || current.mine) && <a href="/">{t('reset')}</a>}
    </form>
  );
}
