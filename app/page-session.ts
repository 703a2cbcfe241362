import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { services } from '@/server/registry';

/** The signed-in person for a page, re-checked in the database; without one, off to sign in and back. */
export async function requirePageUser(returnTo: string) {
  const cookie = (await headers()).get('cookie');
  const user = await services().currentUser(cookie);
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

export async function optionalPageUser() {
  return services().currentUser((await headers()).get('cookie'));
}
