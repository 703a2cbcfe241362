import { createTranslator } from 'use-intl/core';
import en from './messages/en.json';
import nl from './messages/nl.json';

/**
 * The interface speaks one language at a time: Dutch by default, English on request (a person's choice, stored on
 * their account; a cookie before sign-in). The catalogues in common/messages are the only source of user-facing
 * text: pages and components read them through next-intl, server code (e-mails, exports, API error messages)
 * through `translator` below, so a string is translated once for every place it appears.
 */
export const locales = ['nl', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'nl';

/** The cookie that carries the choice for pages without a signed-in person (sign-in, invitations). */
export const localeCookie = 'stukwerk_locale';

export type Messages = typeof nl;
export const catalogues: Record<Locale, Messages> = { nl, en };

export const isLocale = (value: unknown): value is Locale => locales.includes(value as Locale);

/** Dates and times are shown in the region's own time zone, whatever the server's is. */
export const timeZone = 'Europe/Amsterdam';

/** BCP 47 tags for Intl formatters. */
export const intlLocale: Record<Locale, string> = { nl: 'nl-NL', en: 'en-GB' };

/**
 * A translator for server code outside React: `translator('en')('status.label.draft')`. A missing key or argument
 * throws instead of printing the key path, so a mail or export never goes out with `rounds.mail.subject` in it.
 */
export function translator(locale: Locale) {
  return createTranslator({
    locale,
    messages: catalogues[locale],
    timeZone,
    onError: (error) => {
      throw error;
    },
  });
}
