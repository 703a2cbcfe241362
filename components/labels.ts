import { intlLocale, timeZone, type Locale } from '@/common/i18n';

/**
 * Formatting shared by pages (server) and components (browser). Words come from the message catalogues
 * (common/messages): `status.label.<status>`, `status.meaning.<status>`, `role.<role>`.
 */
export const formatDateTime = (value: string | Date, locale: Locale) =>
  new Intl.DateTimeFormat(intlLocale[locale], { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
    new Date(value),
  );

export const formatLongDate = (value: string | Date, locale: Locale) =>
  new Intl.DateTimeFormat(intlLocale[locale], { day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(
    new Date(value),
  );

/**
 * Reads the JSON error of the API (`{error: {code, message}}`, the message already in the person's language) into
 * one line to show; `fallback` when the answer has none (e.g. a proxy's error page: its status).
 */
export async function apiError(res: Response, fallback = `HTTP ${res.status}`): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    return body.error?.message ?? fallback;
  } catch {
    return fallback;
  }
}
