import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { AdminPanel } from '@/components/admin/AdminPanel';
import { peopleQuerySchema } from '@/server/admin/schemas';
import { services } from '@/server/registry';
import { requirePageUser } from '../page-session';

export const dynamic = 'force-dynamic';

/**
 * `/admin?q=&page=`: people (a page at a time, filtered by name, address or organisation), organisations and groups,
 * for administrators; anyone else gets the not-found page.
 */
export default async function AdminPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requirePageUser('/admin');
  const s = services();
  // Re-read from the database (not the session): a revoked flag shuts the page at once.
  if (!(await s.admin.isAdmin(user.id))) notFound();
  // A malformed page or filter shows the first page unfiltered rather than an error.
  const parsed = peopleQuerySchema.safeParse(await searchParams);
  const query = parsed.success ? parsed.data : peopleQuerySchema.parse({});
  const [table, people, organisations, groups] = await Promise.all([
    s.admin.peoplePage(user.id, query),
    s.admin.people(user.id),
    s.admin.organisations(user.id),
    s.groups.list(user.id),
  ]);
  const t = await getTranslations('admin');
  return (
    <section>
      <h1>{t('title')}</h1>
      <AdminPanel
        table={table}
        query={query.q ?? ''}
        people={people}
        organisations={organisations}
        groups={groups}
        meId={user.id}
      />
    </section>
  );
}
