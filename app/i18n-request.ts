import { cookies } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { catalogues, defaultLocale, isLocale, localeCookie, timeZone, type Locale } from '@/common/i18n';
import { optionalPageUser } from './page-session';

/** The language of this request: the signed-in person's choice, else the cookie set by the switch, else Dutch. */
export async function requestLocale(): Promise<Locale> {
  const user = await optionalPageUser();
  if (user && isLocale(user.locale)) return user.locale;
  const cookie = (await cookies()).get(localeCookie)?.value;
  return isLocale(cookie) ? cookie : defaultLocale;
}

// next-intl reads this once per request (configured in next.config.js); no locale in the URL.
export default getRequestConfig(async () => {
  const locale = await requestLocale();
  return { locale, messages: catalogues[locale], timeZone };
});
