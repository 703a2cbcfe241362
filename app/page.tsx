import { getLocale, getTranslations } from 'next-intl/server';
import { ImportDocumentForm } from '@/components/ImportDocumentForm';
import { NewDocumentForm } from '@/components/NewDocumentForm';
import { formatDateTime } from '@/components/labels';
import { services } from '@/server/registry';
import { DocumentFilters } from '@/components/DocumentFilters';
import { filterDocuments } from '@/server/meetings/filter';
import { meetingOptions } from './meetings/options';
import { documentFilterSchema } from '@/server/meetings/schemas';
import { requirePageUser } from './page-session';

export default async function DocumentsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requirePageUser('/');
  const s = services();
  const filter = documentFilterSchema.parse(await searchParams);
  const documents = await filterDocuments(s, user.id, await s.documents.list(user.id), filter);
  const meetingChoices = await meetingOptions();
  const [t, tStatus, tRole, locale] = await Promise.all([
    getTranslations('documents'),
    getTranslations('status.label'),
    getTranslations('role'),
    getLocale(),
  ]);
  return (
    <section>
      <h1>{t('heading')}</h1>
      <DocumentFilters meetings={meetingChoices} current={filter} />
      {documents.length === 0 ? (
        <p>{t('empty')}</p>
      ) : (
        <table className="documents">
          <thead>
            <tr>
              <th>{t('title')}</th>
              <th>{t('status')}</th>
              <th>{t('myRole')}</th>
              <th>{t('updatedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {documents.map((d) => (
              <tr key={d.id} data-document-id={d.id}>
                <td>
                  <a href={`/documents/${d.id}`}>{d.title}</a>
                </td>
                <td className={`status status-${d.status}`}>{tStatus(d.status)}</td>
                <td>{tRole(d.role)}</td>
                <td>{formatDateTime(d.updatedAt, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <NewDocumentForm />
      <ImportDocumentForm />
    </section>
  );
}
