import { getLocale, getTranslations } from 'next-intl/server';
import { SubPageHeader } from '@/components/SubPageHeader';
import { formatDateTime } from '@/components/labels';
import { services } from '@/server/registry';
import { loadDocumentPage } from '@/app/documents/document-page';

/** The document's audit log, for its members; read-only (the app never edits or deletes audit events). */
export default async function AuditPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { user, document } = await loadDocumentPage(id, `/documents/${id}/audit`);
  const events = await services().documents.audit(user.id, id);
  const [t, locale] = await Promise.all([getTranslations('audit'), getLocale()]);
  // Action names are dotted (`document.signed_off`); catalogue keys cannot be, so they use `_`.
  const actionLabel = (action: string) => {
    const key = `action.${action.replaceAll('.', '_')}` as const;
    return t.has(key as never) ? t(key as never) : action;
  };
  return (
    <section>
      <SubPageHeader backHref={`/documents/${id}`} backLabel={document.title} title={t('heading')} />
      <table className="documents">
        <thead>
          <tr>
            <th>{t('when')}</th>
            <th>{t('who')}</th>
            <th>{t('what')}</th>
            <th>{t('details')}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td>{formatDateTime(e.createdAt, locale)}</td>
              <td>{e.actorName ?? '—'}</td>
              <td>{actionLabel(e.action)}</td>
              <td>
                <code>{JSON.stringify(e.details)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
