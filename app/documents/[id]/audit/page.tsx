import { SubPageHeader } from '@/components/SubPageHeader';
import { formatDateTime } from '@/components/labels';
import { services } from '@/server/registry';
import { loadDocumentPage } from '@/app/documents/document-page';

const actionLabel: Record<string, string> = {
  'document.created': 'Document aangemaakt',
  'document.status_changed': 'Status gewijzigd',
  'document.signed_off': 'Vastgesteld',
  'document.reopened': 'Heropend',
  'member.added': 'Lid toegevoegd',
  'member.role_changed': 'Rol gewijzigd',
  'member.chair_handed_over': 'Voorzitterschap overgedragen',
  'member.removed': 'Lid verwijderd',
  'version.named': 'Versie benoemd',
  'version.restored': 'Versie teruggezet',
};

/** The document's audit log, for its members; read-only (the app never edits or deletes audit events). */
export default async function AuditPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { user, document } = await loadDocumentPage(id, `/documents/${id}/audit`);
  const events = await services().documents.audit(user.id, id);
  return (
    <section>
      <SubPageHeader backHref={`/documents/${id}`} backLabel={document.title} title="Logboek" en="audit log" />
      <table className="documents">
        <thead>
          <tr>
            <th>Wanneer</th>
            <th>Wie</th>
            <th>Wat</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td>{formatDateTime(e.createdAt)}</td>
              <td>{e.actorName ?? '—'}</td>
              <td>{actionLabel[e.action] ?? e.action}</td>
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
