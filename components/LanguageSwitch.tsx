'use client';
import { useLocale, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { localeCookie, type Locale } from '@/common/i18n';

/**
 * One language at a time: this button switches to the other one. The choice is kept in a cookie (for pages before
 * sign-in) and, for a signed-in person, on their account, so e-mails and exports follow it too.
 */
export function LanguageSwitch({ signedIn }: { signedIn: boolean }) {
  const t = useTranslations('header');
  const locale = useLocale();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const other: Locale = locale === 'nl' ? 'en' : 'nl';

  async function switchLanguage() {
    setBusy(true);
    document.cookie = `${localeCookie}=${other}; path=/; max-age=31536000; samesite=lax`;
    try {
      if (signedIn) {
        await fetch('/api/me/locale', {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ locale: other }),
        });
      }
    } finally {
      setBusy(false);
      router.refresh();
    }
  }

  return (
    <button
      type="button"
      className="link-button"
      lang={other}
      disabled={busy}
      onClick={() => switchLanguage().catch((err: unknown) => console.error('[language] switch failed', err))}
      aria-label={t('switchTo')}
    >
      {t(`languageName.${other}`)}
    </button>
  );
}
