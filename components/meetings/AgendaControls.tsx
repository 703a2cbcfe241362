'use client';
import { useTranslations } from 'next-intl';
import type { FormEvent } from 'react';
import { maxItemNumber } from '@/common/meetings';
import { useApiRequest } from '../useApiRequest';
import { FormError, FormSubmit } from '../FormError';

/** Places one of the reader's own (editable) documents on this meeting's agenda under an item number. */
export function PlaceOnAgendaForm({
  meetingId,
  documents,
  nextNumber,
}: {
  meetingId: string;
  documents: { id: string; title: string }[];
  nextNumber: number;
}) {
  const t = useTranslations('meetings.place');
  const { error, busy, send } = useApiRequest();

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    await send(`/api/documents/${String(form.get('documentId'))}/meeting`, 'PUT', {
      meetingId,
      itemNumber: Number(form.get('itemNumber')),
    });
  }

  if (!documents.length) return null;
  return (
    <form className="card form inline-form" onSubmit={(e) => void onSubmit(e)} aria-labelledby="agenda-place">
      <h2 id="agenda-place">{t('heading')}</h2>
      <label>
        {t('document')}
        <select name="documentId" required defaultValue="">
          <option value="" disabled>
            {t('choose')}
          </option>
          {documents.map((d) => (
            <option key={d.id} value={d.id}>
              {d.title}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('number')}
        <input name="itemNumber" type="number" min={1} max={maxItemNumber} required defaultValue={nextNumber} />
      </label>
      <FormSubmit error={error} busy={busy} label={t('submit')} />
    </form>
  );
}

/** Takes a document off the agenda (its editors). */
export function RemoveFromAgendaButton({ documentId }: { documentId: string }) {
  const t = useTranslations('meetings.place');
  const { error, busy, send } = useApiRequest();
  return (
    <>
      <button
        type="button"
        className="link-button danger"
        disabled={busy}
        onClick={() => void send(`/api/documents/${documentId}/meeting`, 'DELETE')}
      >
        {t('remove')}
      </button>
      <FormError error={error} inline />
    </>
  );
}
