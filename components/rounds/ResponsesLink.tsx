'use client';
import { useTranslations } from 'next-intl';

/** The export with the municipalities' responses as an appendix (`&responses=1`), beside each format in ExportMenu. */
export function ResponsesLink({ documentId, format }: { documentId: string; format: string }) {
  const t = useTranslations('rounds');
  return (
    <a
      href={`/api/documents/${documentId}/export?format=${format}&responses=1`}
      download
      data-export-format={`${format}-responses`}
    >
      ({t('export')})
    </a>
  );
}
