import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { NotificationsMenu } from '@/components/NotificationsMenu';
import { SignOutButton } from '@/components/SignOutButton';
import { SearchBox } from '@/components/SearchBox';
import { optionalPageUser } from './page-session';
import './globals.css';

export const metadata: Metadata = {
  title: 'Stukwerk',
  description: 'Samen voorstellen schrijven / Write proposals together',
};
// Every page depends on the session and carries a per-request CSP nonce: nothing is prerendered.
export const dynamic = 'force-dynamic';

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await optionalPageUser();
  return (
    <html lang="nl">
      <body>
        <header className="topbar">
          <a href="/" className="brand">
            Stukwerk
          </a>
          {user && (
            <nav className="topbar-user">
              <SearchBox />
              <NotificationsMenu />
              <span>
                {user.name}
                {user.organisation ? ` · ${user.organisation}` : ''}
              </span>
              <a href="/settings">Instellingen</a>
              <SignOutButton userId={user.id} />
            </nav>
          )}
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
