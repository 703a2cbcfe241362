import { ImportDocumentForm } from '@/components/ImportDocumentForm';
import { NewDocumentForm } from '@/components/NewDocumentForm';
import { formatDateTime, roleLabel, statusLabel } from '@/components/labels';
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
  return (
    <section>
      <h1>
        Mijn documenten <span className="en">(my documents)</span>
      </h1>
      <DocumentFilters meetings={meetingChoices} current={filter} />
      {documents.length === 0 ? (
        <p>Nog geen documenten. (No documents yet.)</p>
      ) : (
        <table className="documents">
          <thead>
            <tr>
              <th>Titel</th>
              <th>Status</th>
              <th>Mijn rol</th>
              <th>Laatst gewijzigd</th>
            </tr>
          </thead>
          <tbody>
            {documents.map((d) => (
              <tr key={d.id} data-document-id={d.id}>
                <td>
                  <a href={`/documents/${d.id}`}>{d.title}</a>
                </td>
                <td className={`status status-${d.status}`}>{statusLabel[d.status]}</td>
                <td>{roleLabel[d.role]}</td>
                <td>{formatDateTime(d.updatedAt)}</td>
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
