'use client';
import { signOut } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { clearOfflineStores } from './editor/offline-store';

/** Signing out also deletes the documents this browser kept for offline editing: the next person here finds none. */
export function SignOutButton({ userId }: { userId: string }) {
  const t = useTranslations('header');
  async function signOutHere() {
    try {
      await clearOfflineStores(userId);
    } catch (err) {
      // Signing out matters more than the cleanup; the stores are named per person, so nobody else loads them.
      console.warn('[sign-out] deleting the offline copies failed', err);
    }
    await signOut({ callbackUrl: '/signin' });
  }
  return (
    <button
      type="button"
      className="link-button"
      onClick={() => signOutHere().catch((err: unknown) => console.error('[sign-out] failed', err))}
    >
      {t('signOut')}
    </button>
  );
}
