'use client';
import { useTranslations } from 'next-intl';
import { useId, useState, type FormEvent } from 'react';
import { meetingBodies, type MeetingBody } from '@/common/meetings';
import { useApiRequest } from '../useApiRequest';
import { FormFeedback, FormSubmit } from '../FormError';

/**
 * Plans a meeting, or with `meeting` changes its body, date or location (administrators and editors; the server
 * checks). A changed date reaches the DATUM field of every voorstel on its agenda (server/meetings).
 */
export function MeetingForm({
  meeting,
}: {
  meeting?: { id: string; body: MeetingBody; date: string; location: string };
}) {
  const t = useTranslations('meetings');
  const { error, busy, send } = useApiRequest();
  const [saved, setSaved] = useState(false);
  const headingId = useId();
  const mode = meeting ? 'edit' : 'create';

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSaved(false);
    const form = new FormData(e.currentTarget);
    const values = { body: form.get('body'), date: form.get('date'), location: form.get('location') };
    if (meeting) {
      // router.refresh() in useApiRequest shows the changed heading; the message says it worked.
      if (await send(`/api/meetings/${meeting.id}`, 'PATCH', values)) setSaved(true);
      return;
    }
    const created = await send<{ meeting: { id: string } }>('/api/meetings', 'POST', values);
    if (created) window.location.assign(`/meetings/${created.meeting.id}`);
  }

  return (
    <form className="card form inline-form" onSubmit={(e) => void onSubmit(e)} aria-labelledby={headingId}>
      <h2 id={headingId}>{t(`${mode}.heading`)}</h2>
      <label>
        {t('create.body')}
        <select name="body" defaultValue={meeting?.body ?? 'algemeen_bestuur'}>
          {meetingBodies.map((b) => (
            <option key={b} value={b}>
              {t(`body.${b}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('create.date')}
        <input name="date" type="date" required defaultValue={meeting?.date} />
      </label>
      <label>
        {t('create.location')}
        <input name="location" required maxLength={200} defaultValue={meeting?.location} />
      </label>
      <FormSubmit error={error} busy={busy} label={t(`${mode}.submit`)} />
      <FormFeedback notice={saved ? t('edit.saved') : undefined} />
    </form>
  );
}
