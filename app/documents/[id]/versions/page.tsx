import { getTranslations } from 'next-intl/server';
import { SubPageHeader } from '@/components/SubPageHeader';
import { VersionList } from '@/components/versions/VersionList';
import { services } from '@/server/registry';
import { loadDocumentPage } from '@/app/documents/document-page';

export default async function VersionsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { user, document } = await loadDocumentPage(id, `/documents/${id}/versions`);
  const versions = await services().versions.list(user.id, id);
  const t = await getTranslations('versions');
  return (
    <section>
      <SubPageHeader backHref={`/documents/${id}`} backLabel={document.title} title={t('heading')} />
      <VersionList
        documentId={id}
        canEdit={document.can.manageVersions}
        versions={versions.map((v) => ({ ...v, createdAt: v.createdAt.toISOString() }))}
      />
    </section>
  );
}
