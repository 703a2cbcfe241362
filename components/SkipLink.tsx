'use client';
import { useTranslations } from 'next-intl';
import { usePathname } from 'next/navigation';

/**
 * The first Tab stop of every page, visible when focused: on a document's page it jumps to the text itself
 * (past the header, the workflow buttons and the toolbar), elsewhere to the page's main content.
 */
export function SkipLink() {
  const t = useTranslations('a11y');
  const onDocument = /^\/documents\/[^/]+$/.test(usePathname() ?? '');
  return (
    <a className="skip-link" href={onDocument ? '#document-text' : '#main'}>
      {onDocument ? t('skipToDocument') : t('skipToContent')}
    </a>
  );
}
