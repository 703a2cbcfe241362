import { ResponsesLink } from './rounds/ResponsesLink';

/**
 * Downloads of the document as stored on the server (GET /api/documents/:id/export). Plain links: the browser
 * sends the session cookie and saves the attachment; nothing is rendered in the browser.
 */
const formats = [
  { format: 'pdf', label: 'PDF', hint: 'om te versturen (to send)' },
  { format: 'docx', label: 'Word (.docx)', hint: 'om verder te bewerken (to edit)' },
  { format: 'html', label: 'HTML', hint: 'om af te drukken (to print)' },
  { format: 'md', label: 'Markdown', hint: 'platte tekst (plain text)' },
] as const;

export function ExportMenu({ documentId, signedOff }: { documentId: string; signedOff: boolean }) {
  return (
    <nav className="card export-menu" aria-label="Exporteren">
      <h2>
        Exporteren <span className="en">(export)</span>
      </h2>
      <ul>
        {formats.map((f) => (
          <li key={f.format}>
            <a href={`/api/documents/${documentId}/export?format=${f.format}`} download data-export-format={f.format}>
              {f.label}
            </a>{' '}
            <span className="muted">{f.hint}</span> <ResponsesLink documentId={documentId} format={f.format} />
          </li>
        ))}
      </ul>
      <p className="muted">
        {signedOff
          ? 'De vastgestelde versie, met wie vaststelde, wanneer en de SHA-256; elke export staat in het logboek. (The signed version; each export is logged.)'
          : 'De opgeslagen stand van het document. (The document as stored.)'}
      </p>
    </nav>
  );
}
