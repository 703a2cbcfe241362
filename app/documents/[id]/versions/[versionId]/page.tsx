import { getLocale, getTranslations } from 'next-intl/server';
import { SubPageHeader } from '@/components/SubPageHeader';
import { formatDateTime } from '@/components/labels';
import { ReadOnlyDocument } from '@/components/versions/ReadOnlyDocument';
import { services } from '@/server/registry';
import { loadDocumentPage, orNotFound } from '@/app/documents/document-page';

export default async function VersionPage({ params }: { params: Promise<{ id: string; versionId: string }> }) {
  const { id, versionId } = await params;
  const { user, document } = await loadDocumentPage(id, `/documents/${id}/versions/${versionId}`);
  const version = await orNotFound(services().versions.get(user.id, id, versionId));
  const [t, locale] = await Promise.all([getTranslations('versions'), getLocale()]);
  return (
    <section>
      <SubPageHeader
        backHref={`/documents/${id}/versions`}
        backLabel={t('ofDocument', { title: document.title })}
        title={version.name ?? t('versionOf', { date: formatDateTime(version.createdAt, locale) })}
      />
      <p className="muted">
        {formatDateTime(version.createdAt, locale)} · {t(`kind.${version.kind}`)}
        {version.createdBy ? ` · ${version.createdBy}` : ''} · SHA-256 <code>{version.sha256}</code>
      </p>
      <div className="banner banner-readonly">{t('readOnly')}</div>
      <ReadOnlyDocument json={version.json} />
    </section>
  );
}
