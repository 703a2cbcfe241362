'use client';
import { useRouter } from 'next/navigation';
import { useFormatter, useTranslations } from 'next-intl';
import { useEffect, useId, useRef, useState } from 'react';
import { hasOpenItems, type OpenItems } from '@/common/api/sign-off';
import { apiError } from '../labels';
import { FormError } from '../FormError';

/**
 * The chair's sign-off, in a modal <dialog>: first what is still open (unresolved threads, open suggestions when the
 * suggestions API exists, the open round and who did not answer, a link to the changes since the round's version),
 * then the confirmation. Signing with open items needs a tick, which the request carries; the server records the
 * open items it computes itself. Escape or Cancel closes the dialog and focus returns to the button that opened it.
 */
export function SignOffDialog({ documentId, onClose }: { documentId: string; onClose: () => void }) {
  const t = useTranslations('rounds.signoff');
  const tCommon = useTranslations('common');
  const networkError = tCommon('networkError');
  const format = useFormatter();
  const router = useRouter();
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const [items, setItems] = useState<OpenItems | null>(null);
  const [suggestions, setSuggestions] = useState<number | null>(null);
  const [acknowledged, setAcknowledged] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  /** After a sign-off the button that opened the dialog is gone: focus goes to the new status instead. */
  const signed = useRef(false);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const el = dialog.current!;
    if (!el.open) el.showModal(); // moves focus into the dialog; Escape closes it
    const closed = () => {
      if (signed.current) document.getElementById('document-status')?.focus();
      else opener?.focus();
      onCloseRef.current();
    };
    el.addEventListener('close', closed);
    return () => el.removeEventListener('close', closed);
  }, []);

  useEffect(() => {
    let live = true;
    (async () => {
      const res = await fetch(`/api/documents/${documentId}/sign-off`, { cache: 'no-store' });
      if (!res.ok) throw new Error(await apiError(res));
      const open = (await res.json()) as OpenItems;
      if (live) setItems(open);
      // Suggestions are another module's: counted when its API answers, left out otherwise.
      const sres = await fetch(`/api/documents/${documentId}/suggestions`, { cache: 'no-store' }).catch(() => null);
      if (sres?.status === 200) {
        const body = (await sres.json()) as { suggestions?: { status?: string }[] };
        const list = body.suggestions ?? [];
        if (live) setSuggestions(list.filter((s) => !s.status || s.status === 'open').length);
      }
    })().catch((err: unknown) => live && setError(err instanceof Error ? err.message : networkError));
    return () => {
      live = false;
    };
  }, [documentId]);

  const anyOpen = !!items && (hasOpenItems(items) || !!suggestions);

  async function confirm() {
    setBusy(true);
    setError('');
    try {
      const res = await fetch(`/api/documents/${documentId}/sign-off`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ acknowledgeOpenItems: anyOpen && acknowledged }),
      });
      if (!res.ok) return setError(await apiError(res));
      signed.current = true;
      dialog.current?.close();
      router.refresh();
    } catch {
      setError(networkError);
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog ref={dialog} aria-labelledby={`${id}-title`} className="signoff-dialog" data-testid="signoff-dialog">
      <h2 id={`${id}-title`}>{t('title')}</h2>
      <p>{t('intro')}</p>
      {items && (
        <ul data-testid="signoff-open-items">
          <li>{t('threads', { count: items.threads })}</li>
          {suggestions !== null && <li>{t('suggestions', { count: suggestions })}</li>}
          {items.round && (items.round.status === 'open' || items.round.notAnswered.length > 0) && (
            <li data-testid="signoff-round">
              {items.round.status === 'open' &&
                t('roundOpen', {
                  due: format.dateTime(new Date(items.round.dueAt), { dateStyle: 'medium', timeStyle: 'short' }),
                })}
              {items.round.notAnswered.length > 0 && (
                <>
                  {' '}
                  {t('notAnswered', {
                    names: items.round.notAnswered.map((p) => p.organisation ?? p.name).join(', '),
                  })}
                </>
              )}
            </li>
          )}
          {items.roundVersionId && (
            <li>
              <a href={`/documents/${documentId}/compare?from=${items.roundVersionId}`}>{t('compare')}</a>
            </li>
          )}
          {!anyOpen && <li>{t('nothingOpen')}</li>}
        </ul>
      )}
      {anyOpen && (
        <label>
          <input type="checkbox" checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)} />{' '}
          {t('acknowledge')}
        </label>
      )}
      <FormError error={error} />
      <div className="workflow-actions">
        <button type="button" onClick={() => dialog.current?.close()}>
          {t('cancel')}
        </button>
        <button type="button" disabled={busy || !items || (anyOpen && !acknowledged)} onClick={() => void confirm()}>
          {t('confirm')}
        </button>
      </div>
    </dialog>
  );
}
