'use client';
import { signIn } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { FormSubmit } from './FormError';

/** next-auth's error codes that have their own words; any other code reads as a plain failure. */
const knownErrors = ['CredentialsSignin', 'TooManyAttempts', 'AccessDenied'] as const;
type KnownError = (typeof knownErrors)[number];

export function SignInForm({
  callbackUrl,
  initialError,
  oidcName,
}: {
  callbackUrl: string;
  initialError?: string;
  oidcName?: string;
}) {
  const t = useTranslations('signinForm');
  const tCommon = useTranslations('common');
  const messageFor = (code: string) =>
    knownErrors.includes(code as KnownError) ? t(`error.${code as KnownError}`) : t('error.other');
  const [error, setError] = useState(initialError ? messageFor(initialError) : '');
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError('');
    // finally: a network error (signIn rejects) must not leave the button disabled for good.
    try {
      const result = await signIn('credentials', {
        email: String(form.get('email') ?? ''),
        password: String(form.get('password') ?? ''),
        redirect: false,
      });
      if (result?.ok && !result.error) window.location.assign(callbackUrl);
      else setError(messageFor(result?.error ?? ''));
    } catch {
      setError(tCommon('networkError'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={onSubmit}>
      <label>
        {t('email')}
        <input name="email" type="email" autoComplete="username" required />
      </label>
      <label>
        {t('password')}
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <FormSubmit error={error} busy={busy} label={busy ? t('busy') : t('submit')} />
      {oidcName && (
        <button type="button" className="secondary" onClick={() => void signIn('oidc', { callbackUrl })}>
          {t('oidc', { provider: oidcName })}
        </button>
      )}
    </form>
  );
}
