'use client';
import { useState, type FormEvent } from 'react';
import { useDocumentRequest } from '../useDocumentRequest';
import { formatDateTime } from '../labels';

interface Version {
  id: string;
  kind: string;
  name: string | null;
  createdAt: string;
  createdBy: string | null;
  authors: string[];
}

const kindLabel: Record<string, string> = {
  auto: 'automatisch',
  named: 'benoemd',
  signed: 'vastgesteld',
  restore: 'voor terugzetten',
};

export function VersionList({
  documentId,
  versions,
  canEdit,
}: {
  documentId: string;
  versions: Version[];
  canEdit: boolean;
}) {
  const { error, busy, send } = useDocumentRequest(documentId);
  const [from, setFrom] = useState(versions[1]?.id ?? versions[0]?.id ?? '');
  const [to, setTo] = useState('current');

  /** Never rejects (see useDocumentRequest). */
  const call = (path: string, body?: unknown) => send(path, 'POST', body);

  async function onName(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    // The name stays in the field when saving failed, to try again.
    if (await call('versions', { name: new FormData(form).get('name') })) form.reset();
  }

  return (
    <>
      {canEdit && (
        <form className="card form inline-form" onSubmit={onName} aria-label="Versie opslaan">
          <label>
            Versie opslaan met naam <span className="en">(save a named version)</span>
            <input name="name" required maxLength={200} placeholder="Versie voor AB 17 februari" />
          </label>
          <button type="submit" disabled={busy}>
            Opslaan
          </button>
        </form>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <form className="compare-form" action={`/documents/${documentId}/compare`}>
        <label>
          Vergelijk{' '}
          <select name="from" value={from} onChange={(e) => setFrom(e.target.value)}>
            <VersionOptions versions={versions} />
          </select>
        </label>
        <label>
          met{' '}
          <select name="to" value={to} onChange={(e) => setTo(e.target.value)}>
            <option value="current">de huidige tekst (now)</option>
            <VersionOptions versions={versions} />
          </select>
        </label>
        <button type="submit" disabled={!versions.length}>
          Vergelijken (compare)
        </button>
      </form>
      <table className="documents">
        <thead>
          <tr>
            <th>Wanneer</th>
            <th>Naam</th>
            <th>Soort</th>
            <th>Auteurs</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.id} data-version-id={v.id}>
              <td>{formatDateTime(v.createdAt)}</td>
              <td>{v.name ?? '—'}</td>
              <td>{kindLabel[v.kind] ?? v.kind}</td>
              <td>{(v.authors.length ? v.authors : v.createdBy ? [v.createdBy] : []).join(', ') || '—'}</td>
              <td>
                <a href={`/documents/${documentId}/versions/${v.id}`}>Bekijken</a>
                {canEdit && (
                  <>
                    {' · '}
                    <button
                      type="button"
                      className="link-button"
                      disabled={busy}
                      onClick={() =>
                        window.confirm('Deze versie terugzetten als nieuwe wijziging?') &&
                        void call(`versions/${v.id}/restore`)
                      }
                    >
                      Terugzetten (restore)
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function VersionOptions({ versions }: { versions: Version[] }) {
  return versions.map((v) => (
    <option key={v.id} value={v.id}>
      {v.name ?? formatDateTime(v.createdAt)}
    </option>
  ));
}
