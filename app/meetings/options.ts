import { getFormatter, getTranslations } from 'next-intl/server';
import { services } from '@/server/registry';

/** The meetings as choices for a list filter: "Algemeen bestuur · 12 maart 2026", newest first. */
export async function meetingOptions(): Promise<{ id: string; label: string }[]> {
  const [meetings, t, format] = await Promise.all([
    services().meetings.list(),
    getTranslations('meetings'),
    getFormatter(),
  ]);
  return meetings.map((m) => ({
    id: m.id,
    label: `${t(`body.${m.body}`)} · ${format.dateTime(new Date(`${m.date}T12:00:00Z`), { dateStyle: 'long' })}`,
  }));
}
