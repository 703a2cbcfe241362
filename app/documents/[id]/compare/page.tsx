import { getTranslations } from 'next-intl/server';
import { SubPageHeader } from '@/components/SubPageHeader';
import { services } from '@/server/registry';
import { loadDocumentPage, orNotFound } from '@/app/documents/document-page';

/** An inline difference by words; insertions and deletions marked (React escapes every word). */
export default async function ComparePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { id } = await params;
  const { from, to = 'current' } = await searchParams;
  const { user, document } = await loadDocumentPage(id, `/documents/${id}/compare`);
  const [t, tVersions] = await Promise.all([getTranslations('compare'), getTranslations('versions')]);
  const diff = from ? await orNotFound(services().versions.compare(user.id, id, from, to)) : undefined;
  return (
    <section>
      <SubPageHeader
        backHref={`/documents/${id}/versions`}
        backLabel={tVersions('ofDocument', { title: document.title })}
        title={t('heading')}
      />
      {!diff ? (
        <p>{t('pick')}</p>
      ) : (
        <>
          <p className="legend">
            <ins>{t('inserted')}</ins> <del>{t('deleted')}</del>
          </p>
          <div className="card diff" data-testid="diff">
            {diff.parts.map((p, i) =>
              p.type === 'insert' ? (
                <ins key={i}>{p.text}</ins>
              ) : p.type === 'delete' ? (
                <del key={i}>{p.text}</del>
              ) : (
                <span key={i}>{p.text}</span>
              ),
            )}
          </div>
        </>
      )}
    </section>
  );
}
