'use client';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { apiError } from './labels';

type Choice = 'immediate' | 'daily' | 'off';

/** The three choices, in the order shown; their words are in the catalogue under `mailPreferences.<choice>`. */
const choices: Choice[] = ['immediate', 'daily', 'off'];

/** Saves on change through `PATCH /api/me/preferences`; the server checks the value. */
export function MailPreferencesForm({ initial }: { initial: Choice }) {
  const t = useTranslations('mailPreferences');
  const tCommon = useTranslations('common');
  const [value, setValue] = useState<Choice>(initial);
  const [status, setStatus] = useState('');

  async function choose(next: Choice) {
    const previous = value;
    setValue(next);
    setStatus(t('saving'));
    const res = await fetch('/api/me/preferences', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: next }),
    });
    if (res.ok) setStatus(t('saved'));
    else {
      setValue(previous);
      setStatus(await apiError(res, tCommon('httpError', { status: res.status })));
    }
  }

  return (
    <fieldset className="form" aria-label={t('label')}>
      <legend>{t('legend')}</legend>
      {choices.map((c) => (
        <label key={c} style={{ flexDirection: 'row', alignItems: 'baseline', gap: '0.5rem' }}>
          <input type="radio" name="email" value={c} checked={value === c} onChange={() => void choose(c)} />
          <span>
            {t(`${c}.label`)} <span className="muted">— {t(`${c}.help`)}</span>
          </span>
        </label>
      ))}
      <p role="status" className="muted">
        {status}
      </p>
    </fieldset>
  );
}
