import { getTranslations } from 'next-intl/server';

export default async function NotFound() {
  const t = await getTranslations('notFound');
  return (
    <section>
      <h1>{t('heading')}</h1>
      <p>{t('text')}</p>
      <p>
        <a href="/">{t('back')}</a>
      </p>
    </section>
  );
}
