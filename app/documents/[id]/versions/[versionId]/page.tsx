import { SubPageHeader } from '@/components/SubPageHeader';
import { formatDateTime } from '@/components/labels';
import { ReadOnlyDocument } from '@/components/versions/ReadOnlyDocument';
import { services } from '@/server/registry';
import { loadDocumentPage, orNotFound } from '@/app/documents/document-page';

export default async function VersionPage({ params }: { params: Promise<{ id: string; versionId: string }> }) {
  const { id, versionId } = await params;
  const { user, document } = await loadDocumentPage(id, `/documents/${id}/versions/${versionId}`);
  const version = await orNotFound(services().versions.get(user.id, id, versionId));
  return (
    <section>
      <SubPageHeader
        backHref={`/documents/${id}/versions`}
        backLabel={`Versies van ${document.title}`}
        title={version.name ?? `Versie van ${formatDateTime(version.createdAt)}`}
      />
      <p className="muted">
        {formatDateTime(version.createdAt)} · {version.kind}
        {version.createdBy ? ` · ${version.createdBy}` : ''} · SHA-256 <code>{version.sha256}</code>
      </p>
      <div className="banner banner-readonly">Alleen lezen: een eerdere versie. (Read-only: an earlier version.)</div>
      <ReadOnlyDocument json={version.json} />
    </section>
  );
}
