import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import { canonicalId } from '@/common/ids';
import { consultationValues } from '@/common/meetings';
import { isTextLocked } from '@/common/policy';
import { PlaceOnAgendaForm, RemoveFromAgendaButton } from '@/components/meetings/AgendaControls';
import { MeetingForm } from '@/components/meetings/MeetingForm';
import { isAppError } from '@/server/errors';
import { services } from '@/server/registry';
import { requirePageUser } from '../../page-session';

export const dynamic = 'force-dynamic';

/**
 * `/meetings/:id`: the meeting, its agenda in item order (only the voorstellen the reader is a member of: status
 * and the consultation result when a round was held), the agenda as PDF, and for those who manage meetings placing
 * their documents and changing the meeting's body, date or location.
 */
export default async function MeetingPage({ params }: { params: Promise<{ id: string }> }) {
  const id = canonicalId((await params).id);
  if (!id) notFound();
  const user = await requirePageUser(`/meetings/${id}`);
  const s = services();
  const meeting = await s.meetings.get(user.id, id).catch((err: unknown) => {
    if (isAppError(err) && err.status === 404) notFound();
    throw err;
  });
  const [mine, mayManage] = await Promise.all([s.documents.list(user.id), s.meetings.mayManage(user.id)]);
  const editable = new Set(mine.filter((d) => d.role === 'editor' && !isTextLocked(d.status)).map((d) => d.id));
  const t = await getTranslations('meetings');
  const tStatus = await getTranslations('status.label');
  const format = await getFormatter();
  const date = format.dateTime(new Date(`${meeting.date}T12:00:00Z`), { dateStyle: 'long' });
  const nextNumber = Math.max(0, ...meeting.items.map((i) => i.itemNumber)) + 1;
  return (
    <section>
      <p>
        <a href="/meetings">← {t('back')}</a>
      </p>
      <h1>
        {t(`body.${meeting.body}`)}: {date}
      </h1>
      <p>{meeting.location}</p>
      <p>
        <a href={`/api/meetings/${meeting.id}/export`} download>
          {t('exportPdf')}
        </a>
      </p>
      <h2>{t('agenda')}</h2>
      {meeting.items.length === 0 ? (
        <p>{t('emptyAgenda')}</p>
      ) : (
        <ol className="agenda">
          {meeting.items.map((item) => (
            <li key={item.documentId} value={item.itemNumber} data-document-id={item.documentId}>
              <span className="agenda-number">{t('item', { number: item.itemNumber })}</span>{' '}
              <a href={`/documents/${item.documentId}`}>{item.title}</a>{' '}
              <span className={`status status-${item.status}`}>
                {tStatus(item.status as 'draft' | 'review' | 'ready' | 'signed_off')}
              </span>
              <div className="muted">
                {item.consultation ? t('consultation', consultationValues(item.consultation)) : t('noConsultation')}
              </div>
              {editable.has(item.documentId) && <RemoveFromAgendaButton documentId={item.documentId} />}
            </li>
          ))}
        </ol>
      )}
      {mayManage && (
        <>
          <PlaceOnAgendaForm
            meetingId={meeting.id}
            documents={mine.filter((d) => editable.has(d.id)).map((d) => ({ id: d.id, title: d.title }))}
            nextNumber={nextNumber}
          />
          <MeetingForm
            meeting={{ id: meeting.id, body: meeting.body, date: meeting.date, location: meeting.location }}
          />
        </>
      )}
    </section>
  );
}
