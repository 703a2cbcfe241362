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
  const diff = from ? await orNotFound(services().versions.compare(user.id, id, from, to)) : undefined;
  return (
    <section>
      <SubPageHeader
        backHref={`/documents/${id}/versions`}
        backLabel={`Versies van ${document.title}`}
        title="Vergelijken"
        en="compare"
      />
      {!diff ? (
        <p>Kies twee versies op de versiepagina. (Pick two versions.)</p>
      ) : (
        <>
          <p className="legend">
            <ins>ingevoegd (inserted)</ins> <del>verwijderd (deleted)</del>
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
