'use client';
import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { networkError } from './labels';

const messages: Record<string, string> = {
  CredentialsSignin: 'E-mailadres of wachtwoord onjuist. (Wrong e-mail address or password.)',
  TooManyAttempts:
    'Te veel mislukte pogingen. Probeer het over 15 minuten opnieuw. (Too many attempts; try again in 15 minutes.)',
  AccessDenied: 'Dit account heeft geen toegang tot Stukwerk. (This account has no access.)',
};
const messageFor = (code: string) => messages[code] ?? 'Aanmelden mislukt. (Sign-in failed.)';

export function SignInForm({
  callbackUrl,
  initialError,
  oidcName,
}: {
  callbackUrl: string;
  initialError?: string;
  oidcName?: string;
}) {
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
      setError(networkError);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={onSubmit}>
      <label>
        E-mailadres <span className="en">(e-mail)</span>
        <input name="email" type="email" autoComplete="username" required />
      </label>
      <label>
        Wachtwoord <span className="en">(password)</span>
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? 'Bezig…' : 'Aanmelden'}
      </button>
      {oidcName && (
        <button type="button" className="secondary" onClick={() => void signIn('oidc', { callbackUrl })}>
          Aanmelden met {oidcName}
        </button>
      )}
    </form>
  );
}
