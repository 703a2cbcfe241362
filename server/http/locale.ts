import { defaultLocale, isLocale, localeCookie, type Locale } from '../../common/i18n';

/**
 * The language of a request before the person is known (or without one): the cookie the language switch sets,
 * else Dutch, as on the pages (the browser's own language is not a choice the person made here). A signed-in
 * person's choice, stored on their account, wins (see route.ts).
 */
export function localeOfRequest(req: Request): Locale {
  const cookie = req.headers
    .get('cookie')
    ?.split(';')
    .map((part) => part.trim().split('='))
    .find(([name]) => name === localeCookie)?.[1];
  return isLocale(cookie) ? cookie : defaultLocale;
}
