import { getTranslations } from 'next-intl/server';
import { MailPreferencesForm } from '@/components/MailPreferencesForm';
import { SubPageHeader } from '@/components/SubPageHeader';
import { services } from '@/server/registry';
import { requirePageUser } from '../page-session';

export const dynamic = 'force-dynamic';

/** `/settings`: the person's e-mail preference (every mail links here). */
export default async function SettingsPage() {
  const user = await requirePageUser('/settings');
  const preferences = await services().preferences.get(user.id);
  const t = await getTranslations('settings');
  return (
    <>
      <SubPageHeader backHref="/" backLabel={t('back')} title={t('heading')} />
      <section className="card">
        <h2>{t('email')}</h2>
        <p className="muted">{t('emailGoesTo', { email: user.email })}</p>
        <MailPreferencesForm initial={preferences.email} />
      </section>
    </>
  );
}
