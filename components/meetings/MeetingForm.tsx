'use client';
import { useTranslations } from 'next-intl';
import type { FormEvent } from 'react';
import { meetingBodies } from '@/common/meetings';
import { useApiRequest } from '../useApiRequest';
import { FormSubmit } from '../FormError';

/** Plans a meeting (administrators and editors; the server checks). */
export function MeetingForm() {
  const t = useTranslations('meetings');
  const { error, busy, send } = useApiRequest();

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const created = await send<{ meeting: { id: string } }>('/api/meetings', 'POST', {
      body: form.get('body'),
      date: form.get('date'),
      location: form.get('location'),
    });
    if (created) window.location.assign(`/meetings/${created.meeting.id}`);
  }

  return (
    <form className="card form inline-form" onSubmit={(e) => void onSubmit(e)} aria-labelledby="meeting-create">
      <h2 id="meeting-create">{t('create.heading')}</h2>
      <label>
        {t('create.body')}
        <select name="body" defaultValue="algemeen_bestuur">
          {meetingBodies.map((b) => (
            <option key={b} value={b}>
              {t(`body.${b}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('create.date')}
        <input name="date" type="date" required />
      </label>
      <label>
        {t('create.location')}
        <input name="location" required maxLength={200} />
      </label>
      <FormSubmit error={error} busy={busy} label={t('create.submit')} />
    </form>
  );
}
