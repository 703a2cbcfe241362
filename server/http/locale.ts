import { defaultLocale, isLocale, localeCookie, type Locale } from '../../common/i18n';

/**
 * The language of a request before the person is known (or without one): the cookie the language switch sets,
 * else the browser's first preference if it is English, else Dutch. A signed-in person's own choice, stored on
 * their account, wins over both (see route.ts).
 */
export function localeOfRequest(req: Request): Locale {
  const cookie = req.headers
    .get('cookie')
    ?.split(';')
    .map((part) => part.trim().split('='))
    .find(([name]) => name === localeCookie)?.[1];
  if (isLocale(cookie)) return cookie;
  const preferred = req.headers.get('accept-language')?.split(',')[0]?.trim().slice(0, 2).toLowerCase();
  return isLocale(preferred) ? preferred : defaultLocale;
}
