import { getFormatter, getTranslations } from 'next-intl/server';
import { MeetingForm } from '@/components/meetings/MeetingForm';
import { services } from '@/server/registry';
import { requirePageUser } from '../page-session';

export const dynamic = 'force-dynamic';

/** `/meetings`: every meeting, newest first; administrators and editors plan new ones. */
export default async function MeetingsPage() {
  const user = await requirePageUser('/meetings');
  const s = services();
  const [meetings, mayManage] = await Promise.all([s.meetings.list(), s.meetings.mayManage(user.id)]);
  const t = await getTranslations('meetings');
  const format = await getFormatter();
  return (
    <section>
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      {meetings.length === 0 ? (
        <p>{t('none')}</p>
      ) : (
        <ul className="meeting-list">
          {meetings.map((m) => (
            <li key={m.id} data-meeting-id={m.id}>
              <a href={`/meetings/${m.id}`}>
                {t(`body.${m.body}`)} ·{' '}
                {t('dateLocation', {
                  date: format.dateTime(new Date(`${m.date}T12:00:00Z`), { dateStyle: 'long' }),
                  location: m.location,
                })}
              </a>
            </li>
          ))}
        </ul>
      )}
      {mayManage && <MeetingForm />}
    </section>
  );
}
