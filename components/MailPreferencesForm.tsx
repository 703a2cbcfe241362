'use client';
import { useState } from 'react';
import { apiError } from './labels';

type Choice = 'immediate' | 'daily' | 'off';

const choices: { value: Choice; label: string; help: string }[] = [
  {
    value: 'immediate',
    label: 'Direct',
    help: 'Binnen enkele minuten; meldingen over één document kort na elkaar komen samen in één e-mail.',
  },
  {
    value: 'daily',
    label: 'Dagelijks overzicht',
    help: 'Eén e-mail per dag, om 08:00, met alles van de afgelopen dag.',
  },
  { value: 'off', label: 'Uit', help: 'Geen e-mail; meldingen blijven in Stukwerk zichtbaar.' },
];

/** Saves on change through `PATCH /api/me/preferences`; the server checks the value. */
export function MailPreferencesForm({ initial }: { initial: Choice }) {
  const [value, setValue] = useState<Choice>(initial);
  const [status, setStatus] = useState('');

  async function choose(next: Choice) {
    const previous = value;
    setValue(next);
    setStatus('Opslaan…');
    const res = await fetch('/api/me/preferences', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: next }),
    });
    if (res.ok) setStatus('Opgeslagen. (Saved.)');
    else {
      setValue(previous);
      setStatus(await apiError(res));
    }
  }

  return (
    <fieldset className="form" aria-label="E-mailmeldingen">
      <legend>Wanneer wil je e-mail over reacties, vermeldingen en de status van documenten?</legend>
      {choices.map((c) => (
        <label key={c.value} style={{ flexDirection: 'row', alignItems: 'baseline', gap: '0.5rem' }}>
          <input
            type="radio"
            name="email"
            value={c.value}
            checked={value === c.value}
            onChange={() => void choose(c.value)}
          />
          <span>
            {c.label} <span className="muted">— {c.help}</span>
          </span>
        </label>
      ))}
      <p role="status" className="muted">
        {status}
      </p>
    </fieldset>
  );
}
