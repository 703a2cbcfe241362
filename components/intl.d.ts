import type { Locale, Messages } from '@/common/i18n';

// Typed message keys: a key missing from the Dutch catalogue is a type error wherever it is used.
declare module 'next-intl' {
  interface AppConfig {
    Locale: Locale;
    Messages: Messages;
  }
}
