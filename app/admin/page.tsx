import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { AdminPanel } from '@/components/admin/AdminPanel';
import { services } from '@/server/registry';
import { requirePageUser } from '../page-session';

export const dynamic = 'force-dynamic';

/** `/admin`: people, organisations and groups, for administrators; anyone else gets the not-found page. */
export default async function AdminPage() {
  const user = await requirePageUser('/admin');
  const s = services();
  // Re-read from the database (not the session): a revoked flag shuts the page at once.
  if (!(await s.admin.isAdmin(user.id))) notFound();
  const [people, organisations, groups] = await Promise.all([
    s.admin.people(user.id),
    s.admin.organisations(user.id),
    s.groups.list(user.id),
  ]);
  const t = await getTranslations('admin');
  return (
    <section>
      <h1>{t('title')}</h1>
      <AdminPanel people={people} organisations={organisations} groups={groups} meId={user.id} />
    </section>
  );
}
