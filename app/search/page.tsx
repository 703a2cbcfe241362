import type { SnippetPart } from '../../common/api/search';
import { getTranslations } from 'next-intl/server';
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
  const [t, tStatus] = await Promise.all([getTranslations('search'), getTranslations('status.label')]);
  const parsed = searchQuerySchema.safeParse({ q: q ?? '' });
  if (!parsed.success) {
    return (
      <section>
        <h1>{t('heading')}</h1>
        <p>{t('invalid')}</p>
      </section>
    );
  }
  const { hits } = await services().search(user.id, parsed.data.q);
  return (
    <section className="search-results">
      <h1>{t('results', { q: parsed.data.q })}</h1>
      {hits.length === 0 ? (
        <p>{t('none')}</p>
      ) : (
        <ol>
          {hits.map((h) => (
            <li key={`${h.kind}-${h.documentId}-${h.threadId ?? ''}`} data-document-id={h.documentId}>
              <a href={h.href}>
                <Parts parts={h.titleParts} />
              </a>{' '}
              <small>
                {h.kind === 'comment' ? `${t('comment')} · ` : ''}
                {tStatus(h.status)}
                {h.archived ? ` · ${t('archived')}` : ''}
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
