'use client';
import { useFormatter, useTranslations } from 'next-intl';
import { useRef, useState, type FormEvent } from 'react';
import { attachmentAccept, attachmentLimits, type AttachmentView } from '@/common/attachments';
import { apiError } from './labels';
import { FormError } from './FormError';

/** The page passes `Date`s (server component props), the upload answer ISO strings. */
export type Attachment = AttachmentView<string | Date>;

/**
 * Bijlage(n): the document's attached files with their size and uploader, each a download link (the server sends
 * it as an attachment). Editors upload and remove while the text may still change; the server checks every one.
 */
export function AttachmentsPanel({
  documentId,
  initial,
  canChange,
  frozen,
}: {
  documentId: string;
  initial: Attachment[];
  canChange: boolean;
  /** Shown to editors when the attachments are fixed with the text (ready, signed off, archived). */
  frozen: boolean;
}) {
  const t = useTranslations('attachments');
  const format = useFormatter();
  const [items, setItems] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const input = useRef<HTMLInputElement>(null);

  const size = (bytes: number) =>
    bytes >= 1_000_000
      ? format.number(bytes / 1_000_000, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 })
      : bytes >= 1_000
        ? format.number(bytes / 1_000, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 })
        : format.number(bytes, { style: 'unit', unit: 'byte' });

  /** Never rejects: errors end up in `error`. */
  async function request(run: () => Promise<Response>, done: (res: Response) => Promise<void>) {
    setBusy(true);
    setError('');
    try {
      const res = await run();
      if (!res.ok) setError(await apiError(res));
      else await done(res);
    } catch {
      setError(t('networkError'));
    } finally {
      setBusy(false);
    }
  }

  async function onUpload(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const file = input.current?.files?.[0];
    if (!file) {
      setError(t('chooseFirst'));
      return;
    }
    // The server's cap, checked here only to spare a long upload that would fail.
    if (file.size > attachmentLimits.maxBytes) {
      setError(t('tooLarge'));
      return;
    }
    await request(
      () =>
        fetch(`/api/documents/${documentId}/attachments?name=${encodeURIComponent(file.name)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream' },
          body: file,
        }),
      async (res) => {
        const added = (await res.json()) as Attachment;
        setItems((list) => [...list, added]);
        form.reset();
      },
    );
  }

  async function onRemove(attachment: Attachment) {
    await request(
      () => fetch(`/api/documents/${documentId}/attachments/${attachment.id}`, { method: 'DELETE' }),
      async () => setItems((list) => list.filter((a) => a.id !== attachment.id)),
    );
  }

  return (
    <section className="card attachments" aria-labelledby="attachments-title">
      <h2 id="attachments-title">{t('title')}</h2>
      {items.length ? (
        <ul>
          {items.map((a) => (
            <li key={a.id} data-attachment={a.name}>
              <div>
                <a href={`/api/documents/${documentId}/attachments/${a.id}`} download={a.name}>
                  {a.name}
                </a>
                <div className="muted">
                  {a.uploadedBy
                    ? t('details', { size: size(a.size), uploader: a.uploadedBy.name })
                    : t('detailsNoUploader', { size: size(a.size) })}
                </div>
              </div>
              {canChange ? (
                <button
                  type="button"
                  className="secondary"
                  disabled={busy}
                  onClick={() => void onRemove(a)}
                  aria-label={t('removeNamed', { name: a.name })}
                >
                  {t('remove')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('none')}</p>
      )}
      {canChange ? (
        <form onSubmit={(e) => void onUpload(e)}>
          <label htmlFor="attachment-file">{t('choose')}</label>
          <input id="attachment-file" ref={input} type="file" accept={attachmentAccept} disabled={busy} />
          <p className="muted">{t('hint')}</p>
          <button type="submit" disabled={busy}>
            {busy ? t('busy') : t('upload')}
          </button>
        </form>
      ) : frozen ? (
        <p className="muted">{t('frozen')}</p>
      ) : null}
      <FormError error={error} />
    </section>
  );
}
