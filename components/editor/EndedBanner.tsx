'use client';
import { useTranslations } from 'next-intl';
import type { EndReason } from './connection';

/** After the server ended the connection for good: why, and where to go (nothing reconnects by itself any more). */
export function EndedBanner({ reason, documentId }: { reason: EndReason; documentId: string }) {
  const t = useTranslations('editor.ended');
  return (
    <div className="banner banner-alert" role="alert" data-testid="connection-ended">
      {reason === 'unauthorized' ? (
        <>
          {t('unauthorized')}{' '}
          <a href={`/signin?callbackUrl=${encodeURIComponent(`/documents/${documentId}`)}`}>{t('signInAgain')}</a>
        </>
      ) : (
        <>
          {t('forbidden')} <a href="/">{t('toDocuments')}</a>
        </>
      )}
    </div>
  );
}
