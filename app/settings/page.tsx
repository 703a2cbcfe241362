import { MailPreferencesForm } from '@/components/MailPreferencesForm';
import { SubPageHeader } from '@/components/SubPageHeader';
import { services } from '@/server/registry';
import { requirePageUser } from '../page-session';

export const dynamic = 'force-dynamic';

/** `/settings`: the person's e-mail preference (every mail links here). */
export default async function SettingsPage() {
  const user = await requirePageUser('/settings');
  const preferences = await services().preferences.get(user.id);
  return (
    <>
      <SubPageHeader backHref="/" backLabel="Documenten" title="Instellingen" en="settings" />
      <section className="card">
        <h2>
          E-mail <span className="en">(e-mail notifications)</span>
        </h2>
        <p className="muted">E-mails gaan naar {user.email}.</p>
        <MailPreferencesForm initial={preferences.email} />
      </section>
    </>
  );
}
