'use client';
import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { apiError } from './labels';
import { FormError } from './FormError';

interface Imported {
  id: string;
  title: string;
  warnings: { code: string; message: string }[];
}

/** Uploads a .docx to POST /api/documents/import; the server creates the document, so no browser seeds content. */
export function ImportDocumentForm() {
  const t = useTranslations('importForm');
  const tCommon = useTranslations('common');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [imported, setImported] = useState<Imported>();

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError('');
    setImported(undefined);
    // finally: a network error must not leave the button disabled for good.
    try {
      const res = await fetch('/api/documents/import', { method: 'POST', body: new FormData(e.currentTarget) });
      if (!res.ok) return setError(await apiError(res, tCommon('httpError', { status: res.status })));
      const doc = (await res.json()) as Imported;
      // Without warnings there is nothing to read here: open the new document at once.
      if (doc.warnings.length === 0) return window.location.assign(`/documents/${doc.id}`);
      setImported(doc);
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
        {t('file')}
        <input
          name="file"
          type="file"
          required
          accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        />
      </label>
      <label>
        {t('title')}
        <input name="title" maxLength={300} placeholder={t('titlePlaceholder')} />
      </label>
      <FormError error={error} />
      {imported && (
        <div role="status" className="import-result">
          <p>{t('imported')}</p>
          <ul>
            {imported.warnings.map((w) => (
              <li key={w.code}>{w.message}</li>
            ))}
          </ul>
          <a href={`/documents/${imported.id}`}>{t('open', { title: imported.title })}</a>
        </div>
      )}
      <button type="submit" disabled={busy}>
        {t('submit')}
      </button>
    </form>
  );
}
