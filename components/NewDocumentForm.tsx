'use client';
import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { apiError } from './labels';
import { FormSubmit } from './FormError';

export function NewDocumentForm() {
  const t = useTranslations('newDocument');
  const tCommon = useTranslations('common');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError('');
    // finally: a network error must not leave the button disabled for good.
    try {
      const res = await fetch('/api/documents', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: form.get('title'), template: form.get('template') }),
      });
      if (!res.ok) return setError(await apiError(res, tCommon('httpError', { status: res.status })));
      const doc = (await res.json()) as { id: string };
      window.location.assign(`/documents/${doc.id}`);
    } catch {
      setError(tCommon('networkError'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form inline-form" onSubmit={onSubmit} aria-label={t('heading')}>
      <h2>{t('heading')}</h2>
      <label>
        {t('title')}
        <input name="title" required maxLength={300} />
      </label>
      <label>
        {t('template')}
        <select name="template" defaultValue="voorstel">
          <option value="voorstel">{t('voorstel')}</option>
          <option value="blank">{t('blank')}</option>
        </select>
      </label>
      <FormSubmit error={error} busy={busy} label={t('submit')} />
    </form>
  );
}
