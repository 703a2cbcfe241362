import { redirect } from 'next/navigation';
import { SignInForm } from '../../components/SignInForm';
import { services } from '../../server/registry';
import { optionalPageUser } from '../page-session';

/** Only same-site paths are followed after sign-in (no open redirect). */
function safeReturnPath(value: string | string[] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return '/';
  try {
    const url = new URL(v, 'http://stukwerk.local');
    return url.origin === 'http://stukwerk.local' || url.origin === new URL(services().config.publicUrl ?? 'http://stukwerk.local').origin
      ? url.pathname + url.search
      : '/';
  } catch {
    return '/';
  }
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeReturnPath(params.callbackUrl);
  if (await optionalPageUser()) redirect(callbackUrl);
  const error = typeof params.error === 'string' ? params.error : undefined;
  return (
    <section className="signin">
      <h1>Aanmelden</h1>
      <p className="en">Sign in to Stukwerk</p>
      <SignInForm callbackUrl={callbackUrl} initialError={error} oidcName={services().config.oidc?.name} />
    </section>
  );
}
