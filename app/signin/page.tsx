import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { SignInForm } from '@/components/SignInForm';
import { safeReturnPath } from '@/server/http/return-path';
import { services } from '@/server/registry';
import { optionalPageUser } from '../page-session';

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeReturnPath(params.callbackUrl, services().config.publicUrl);
  if (await optionalPageUser()) redirect(callbackUrl);
  const t = await getTranslations('signin');
  const error = typeof params.error === 'string' ? params.error : undefined;
  return (
    <section className="signin">
      <h1>{t('heading')}</h1>
      <p>{t('intro')}</p>
      <SignInForm callbackUrl={callbackUrl} initialError={error} oidcName={services().config.oidc?.name} />
    </section>
  );
}
