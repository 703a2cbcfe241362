import { ImportDocumentForm } from '@/components/ImportDocumentForm';
import { NewDocumentForm } from '@/components/NewDocumentForm';
import { formatDateTime, roleLabel, statusLabel } from '@/components/labels';
import { services } from '@/server/registry';
import { requirePageUser } from './page-session';

export default async function DocumentsPage() {
  const user = await requirePageUser('/');
  const documents = await services().documents.list(user.id);
  return (
    <section>
      <h1>
        Mijn documenten <span className="en">(my documents)</span>
      </h1>
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
