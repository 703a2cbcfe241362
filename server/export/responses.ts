import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { users } from '../../db/schema';
import { defaultLocale, intlLocale, isLocale, timeZone, translator } from '../../common/i18n';
import { roundsOf } from '../rounds/views';
import type { Block, TableCell } from './model';

/**
 * The appendix "met reacties van de gemeenten": the latest consultation round as a table (municipality, position,
 * remark, date), the overview the general board reads beside the voorstel. In the language of the person
 * exporting. No round: no appendix.
 */
export async function responsesAppendix(db: Database, documentId: string, userId: string): Promise<Block[]> {
  const [round] = await roundsOf(db, documentId);
  if (!round) return [];
  const [me] = await db.select({ locale: users.locale }).from(users).where(eq(users.id, userId));
  const locale = isLocale(me?.locale) ? me.locale : defaultLocale;
  const t = translator(locale);
  const date = new Intl.DateTimeFormat(intlLocale[locale], { timeZone, dateStyle: 'medium', timeStyle: 'short' });
  const cell = (text: string, header = false): TableCell => ({
    header,
    colspan: 1,
    rowspan: 1,
    blocks: [{ kind: 'paragraph', inlines: text ? [{ text }] : [] }],
  });
  const header = [
    t('rounds.table.municipality'),
    t('rounds.table.position'),
    t('rounds.table.remark'),
    t('rounds.table.time'),
  ].map((h) => cell(h, true));
  const rows = round.reviewers.map((r) => [
    cell(r.user.organisation ? `${r.user.organisation} (${r.user.name})` : r.user.name),
    cell(t(`rounds.position.${r.position ?? 'none'}`)),
    cell(r.remark ?? ''),
    cell(r.respondedAt ? date.format(new Date(r.respondedAt)) : ''),
  ]);
  return [
    { kind: 'heading', level: 2, inlines: [{ text: t('rounds.appendix') }] },
    { kind: 'paragraph', inlines: [{ text: `${t('rounds.question')}: ${round.question}` }] },
    { kind: 'table', rows: [header, ...rows] },
  ];
}
