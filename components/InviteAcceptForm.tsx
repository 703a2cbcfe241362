'use client';
import { signIn } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { apiError } from './labels';
import { FormSubmit } from './FormError';

const minPasswordLength = 12;

/**
 * Accepting an invitation: the server creates the account and the membership in one step, then this form signs
 * in with the same credentials (the credentials provider makes the session) and opens the document.
 */
export function InviteAcceptForm({
  token,
  email,
  documentId,
  oidcName,
}: {
  token: string;
  email: string;
  documentId: string;
  oidcName?: string;
}) {
  const t = useTranslations('inviteForm');
  const tCommon = useTranslations('common');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const name = String(form.get('name') ?? '').trim();
    const password = String(form.get('password') ?? '');
    if (password.length < minPasswordLength) {
      setError(t('tooShort', { min: minPasswordLength }));
      return;
    }
    setBusy(true);
    setError('');
    const res = await fetch('/api/invitations/accept', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, name, password }),
    });
    if (!res.ok) {
      setBusy(false);
      setError(await apiError(res, tCommon('httpError', { status: res.status })));
      return;
    }
    const result = await signIn('credentials', { email, password, redirect: false });
    if (result?.ok && !result.error) window.location.assign(`/documents/${documentId}`);
    else window.location.assign(`/signin?callbackUrl=${encodeURIComponent(`/documents/${documentId}`)}`);
  }

  return (
    <form className="card form" onSubmit={onSubmit} aria-label={t('label')}>
      <label>
        {t('name')}
        <input name="name" autoComplete="name" required maxLength={200} />
      </label>
      <label>
        {t('password', { min: minPasswordLength })}
        <input name="password" type="password" autoComplete="new-password" required minLength={minPasswordLength} />
      </label>
      <FormSubmit error={error} busy={busy} label={busy ? t('busy') : t('submit')} />
      {oidcName && (
        // The organisation's account must report this same address, verified; the server then accepts the invitation.
        <button
          type="button"
          className="secondary"
          onClick={() => void signIn('oidc', { callbackUrl: `/documents/${documentId}` })}
        >
          {t('oidc', { provider: oidcName, email })}
        </button>
      )}
    </form>
  );
}
