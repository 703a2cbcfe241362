'use client';
import { useLocale, useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { useDocumentRequest } from '../useDocumentRequest';
import { formatDateTime } from '../labels';
import { FormError } from '../FormError';

interface Version {
  id: string;
  kind: 'auto' | 'named' | 'signed' | 'restore';
  name: string | null;
  createdAt: string;
  createdBy: string | null;
  authors: string[];
}

export function VersionList({
  documentId,
  versions,
  canEdit,
}: {
  documentId: string;
  versions: Version[];
  canEdit: boolean;
}) {
  const t = useTranslations('versionList');
  const tVersions = useTranslations('versions');
  const locale = useLocale();
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
        <form className="card form inline-form" onSubmit={onName} aria-label={t('saveLabel')}>
          <label>
            {t('saveName')}
            <input name="name" required maxLength={200} placeholder={t('namePlaceholder')} />
          </label>
          <button type="submit" disabled={busy}>
            {t('save')}
          </button>
        </form>
      )}
      <FormError error={error} />
      <form className="compare-form" action={`/documents/${documentId}/compare`}>
        <label>
          {t('compare')}{' '}
          <select name="from" value={from} onChange={(e) => setFrom(e.target.value)}>
            <VersionOptions versions={versions} />
          </select>
        </label>
        <label>
          {t('with')}{' '}
          <select name="to" value={to} onChange={(e) => setTo(e.target.value)}>
            <option value="current">{t('current')}</option>
            <VersionOptions versions={versions} />
          </select>
        </label>
        <button type="submit" disabled={!versions.length}>
          {t('compareSubmit')}
        </button>
      </form>
      <table className="documents">
        <thead>
          <tr>
            <th>{t('when')}</th>
            <th>{t('name')}</th>
            <th>{t('kind')}</th>
            <th>{t('authors')}</th>
            <th>
              <span className="visually-hidden">{t('actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.id} data-version-id={v.id}>
              <td>{formatDateTime(v.createdAt, locale)}</td>
              <td>{v.name ?? '—'}</td>
              <td>{tVersions(`kind.${v.kind}`)}</td>
              <td>{(v.authors.length ? v.authors : v.createdBy ? [v.createdBy] : []).join(', ') || '—'}</td>
              <td>
                <a href={`/documents/${documentId}/versions/${v.id}`}>{t('view')}</a>
                {canEdit && (
                  <>
                    {' · '}
                    <button
                      type="button"
                      className="link-button"
                      disabled={busy}
                      onClick={() => window.confirm(t('confirmRestore')) && void call(`versions/${v.id}/restore`)}
                    >
                      {t('restore')}
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
  const locale = useLocale();
  return versions.map((v) => (
    <option key={v.id} value={v.id}>
      {v.name ?? formatDateTime(v.createdAt, locale)}
    </option>
  ));
}
