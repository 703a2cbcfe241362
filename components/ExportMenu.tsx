import { useTranslations } from 'next-intl';

/**
 * Downloads of the document as stored on the server (GET /api/documents/:id/export). Plain links: the browser
 * sends the session cookie and saves the attachment; nothing is rendered in the browser.
 */
const formats = [
  { format: 'pdf', label: 'PDF' },
  { format: 'docx', label: 'Word (.docx)' },
  { format: 'html', label: 'HTML' },
  { format: 'md', label: 'Markdown' },
] as const;

export function ExportMenu({ documentId, signedOff }: { documentId: string; signedOff: boolean }) {
  const t = useTranslations('export');
  return (
    <nav className="card export-menu" aria-label={t('heading')}>
      <h2>{t('heading')}</h2>
      <ul>
        {formats.map((f) => (
          <li key={f.format}>
            <a href={`/api/documents/${documentId}/export?format=${f.format}`} download data-export-format={f.format}>
              {f.label}
            </a>{' '}
            <span className="muted">{t(f.format)}</span>
          </li>
        ))}
      </ul>
      <p className="muted">{signedOff ? t('signed') : t('stored')}</p>
    </nav>
  );
}
