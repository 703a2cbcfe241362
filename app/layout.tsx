import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getTranslations } from 'next-intl/server';
import { LanguageSwitch } from '@/components/LanguageSwitch';
import { NotificationsMenu } from '@/components/NotificationsMenu';
import { SignOutButton } from '@/components/SignOutButton';
import { SearchBox } from '@/components/SearchBox';
import { SkipLink } from '@/components/SkipLink';
import { optionalPageUser } from './page-session';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('app');
  return { title: t('title'), description: t('description') };
}
// Every page depends on the session and carries a per-request CSP nonce: nothing is prerendered.
export const dynamic = 'force-dynamic';

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await optionalPageUser();
  const locale = await getLocale();
  const t = await getTranslations('header');
  const tMeetings = await getTranslations('meetings');
  const tAdmin = await getTranslations('admin');
  return (
    <html lang={locale}>
      <body>
        <NextIntlClientProvider>
          <SkipLink />
          <header className="topbar">
            <a href="/" className="brand">
              Stukwerk
            </a>
            <nav className="topbar-user">
              {user && (
                <>
                  <SearchBox />
                  <NotificationsMenu />
                  <span>
                    {user.name}
                    {user.organisation ? ` · ${user.organisation}` : ''}
                  </span>
                  <a href="/meetings">{tMeetings('headerLink')}</a>
                  {user.isAdmin && <a href="/admin">{tAdmin('headerLink')}</a>}
                  <a href="/settings">{t('settings')}</a>
                </>
              )}
              <LanguageSwitch signedIn={!!user} />
              {user && <SignOutButton userId={user.id} />}
            </nav>
          </header>
          <main id="main" tabIndex={-1}>
            {children}
          </main>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
