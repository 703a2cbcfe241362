'use client';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { apiError } from './labels';

/**
 * A JSON request to `/api/documents/<id>/<path>` from a button or form: `busy` while it runs, the API's or the
 * network's error in `error`, and the page refreshed afterwards. `send` never rejects and resolves to whether the
 * request succeeded; `finally` enables the controls again even after a network error.
 */
export function useDocumentRequest(documentId: string) {
  const t = useTranslations('common');
  const router = useRouter();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function send(path: string, method = 'POST', body?: unknown): Promise<boolean> {
    setBusy(true);
    setError('');
    try {
      const res = await fetch(`/api/documents/${documentId}/${path}`, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      if (!res.ok) setError(await apiError(res, t('httpError', { status: res.status })));
      router.refresh();
      return res.ok;
    } catch {
      setError(t('networkError'));
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { error, setError, busy, setBusy, send };
}
