import Link from 'next/link';
import { InviteAcceptForm } from '@/components/InviteAcceptForm';
import { getTranslations } from 'next-intl/server';
import { services } from '@/server/registry';

export const dynamic = 'force-dynamic';

/** `/invite/<token>`: who invites you to which document with which role, and a form for your name and password. */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const info = await services().invitations.describe(token);
  const [t, tRole] = await Promise.all([getTranslations('invite'), getTranslations('role')]);
  const bold = (chunks: React.ReactNode) => <strong>{chunks}</strong>;
  if (info.state !== 'pending') {
    // Refusals in plain words, never an error page with details.
    const state = info.state;
    return (
      <section className="signin">
        <h1>{t(`${state}.title`)}</h1>
        <p className="card">{t(`${state}.text`)}</p>
        <p>
          <Link href="/signin">{t('toSignin')}</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="signin">
      <h1>{t('heading')}</h1>
      <p className="card" data-testid="invitation">
        {t.rich('invites', {
          b: bold,
          inviter: info.inviterName ?? t('aColleague'),
          title: info.documentTitle ?? '',
          role: info.role ? tRole(info.role) : '',
        })}
        <br />
        {t.rich('account', { b: bold, email: info.email ?? '' })}
      </p>
      <InviteAcceptForm
        token={token}
        email={info.email!}
        documentId={info.documentId!}
        oidcName={services().config.oidc?.name}
      />
    </section>
  );
}
