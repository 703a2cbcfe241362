import { useTranslations } from 'next-intl';

/** The search box in the header: a plain GET form to the results page (works without JavaScript). */
export function SearchBox({ defaultValue = '' }: { defaultValue?: string }) {
  const t = useTranslations('search');
  return (
    <form action="/search" method="get" role="search" className="topbar-search">
      <label htmlFor="topbar-search-q" className="visually-hidden">
        {t('label')}
      </label>
      <input
        id="topbar-search-q"
        name="q"
        type="search"
        maxLength={200}
        required
        placeholder={t('placeholder')}
        defaultValue={defaultValue}
      />
      <button type="submit">{t('submit')}</button>
    </form>
  );
}
