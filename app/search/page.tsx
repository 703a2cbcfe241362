import type { SnippetPart } from '../../common/api/search';
import { statusLabel } from '../../components/labels';
import { searchQuerySchema } from '../../server/search/schemas';
import { services } from '../../server/registry';
import { requirePageUser } from '../page-session';

/** Snippet parts as text; the matches in <mark>. React escapes every part, so nothing a person wrote becomes markup. */
function Parts({ parts }: { parts: SnippetPart[] }) {
  return <>{parts.map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}</>;
}

export default async function SearchPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  const raw = (await searchParams).q;
  const q = Array.isArray(raw) ? raw[0] : raw;
  const user = await requirePageUser(`/search${q ? `?q=${encodeURIComponent(q)}` : ''}`);
  const parsed = searchQuerySchema.safeParse({ q: q ?? '' });
  if (!parsed.success) {
    return (
      <section>
        <h1>Zoeken</h1>
        <p>Geef een zoekterm van 1 tot 200 tekens. (Enter a search term of 1–200 characters.)</p>
      </section>
    );
  }
  const { hits } = await services().search(user.id, parsed.data.q);
  return (
    <section className="search-results">
      <h1>
        Zoekresultaten voor “{parsed.data.q}” <span className="en">(search results)</span>
      </h1>
      {hits.length === 0 ? (
        <p>Niets gevonden in uw documenten. (Nothing found in your documents.)</p>
      ) : (
        <ol>
          {hits.map((h) => (
            <li key={`${h.kind}-${h.documentId}-${h.threadId ?? ''}`} data-document-id={h.documentId}>
              <a href={h.href}>
                <Parts parts={h.titleParts} />
              </a>{' '}
              <small>
                {h.kind === 'comment' ? 'opmerking · ' : ''}
                {statusLabel[h.status as keyof typeof statusLabel] ?? h.status}
                {h.archived ? ' · gearchiveerd' : ''}
              </small>
              <p className="snippet">
                <Parts parts={h.snippet} />
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
