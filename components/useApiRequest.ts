'use client';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { apiError } from './labels';

/**
 * A JSON request to any `/api/...` path from a button or form: `busy` while it runs, the API's or the network's
 * error in `error`, and the page refreshed afterwards. `send` never rejects and resolves to the response's JSON
 * body (or `{}` for an empty one) when it succeeded, `undefined` otherwise.
 */
export function useApiRequest() {
  const t = useTranslations('common');
  const router = useRouter();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function send<T = Record<string, unknown>>(
    url: string,
    method = 'POST',
    body?: unknown,
  ): Promise<T | undefined> {
    setBusy(true);
    setError('');
    try {
      const res = await fetch(url, {
        method,
        headers: body !== undefined ? { 'content-type': 'application/json' } : {},
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      if (!res.ok) {
        setError(await apiError(res, t('httpError', { status: res.status })));
        return undefined;
      }
      const text = await res.text();
      router.refresh();
      return (text ? JSON.parse(text) : {}) as T;
    } catch {
      setError(t('networkError'));
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  return { error, setError, busy, send };
}
