import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { services } from '@/server/registry';

/**
 * The signed-in person of this request, read from the database once per request: the layout, the language
 * (i18n-request.ts) and the page all ask, and React's `cache` makes that one query instead of three.
 */
const currentPageUser = cache(async () => services().currentUser((await headers()).get('cookie')));

/** The signed-in person for a page, re-checked in the database; without one, off to sign in and back. */
export async function requirePageUser(returnTo: string) {
  const user = await currentPageUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

export async function optionalPageUser() {
  return currentPageUser();
}
