import type { RoundPosition } from './rounds';

/** Board meetings: shared by the server (schema, validation) and the browser (labels, forms). */
export const meetingBodies = ['algemeen_bestuur', 'dagelijks_bestuur'] as const;
export type MeetingBody = (typeof meetingBodies)[number];

/** Agenda item numbers run from 1; three digits is more than any board agenda holds. */
export const maxItemNumber = 999;

/** A meeting as the API and the pages show it. */
export interface MeetingView {
  id: string;
  body: MeetingBody;
  /** YYYY-MM-DD */
  date: string;
  location: string;
}

/** An item on a meeting's agenda, as a member of its document sees it (non-members see no trace of it). */
export interface AgendaItemView {
  itemNumber: number;
  documentId: string;
  title: string;
  status: string;
  /** The latest consultation round's answers, when the document had one. */
  consultation: { status: 'open' | 'closed'; counts: Record<RoundPosition | 'none', number> } | null;
}

export interface MeetingDetail extends MeetingView {
  items: AgendaItemView[];
}

/** The header's DATUM as the voorstel writes it: "12 maart 2026" (Dutch, whatever the reader's language). */
export function headerDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const months = [
    'januari',
    'februari',
    'maart',
    'april',
    'mei',
    'juni',
    'juli',
    'augustus',
    'september',
    'oktober',
    'november',
    'december',
  ];
  return `${d} ${months[(m ?? 1) - 1]} ${y}`;
}

/** The values of the "meetings.consultation" message: one count per answer, and whether the round is still open. */
export const consultationValues = (c: NonNullable<AgendaItemView['consultation']>) => ({
  open: c.status === 'open' ? 'yes' : 'no',
  agree: c.counts.agree,
  remarks: c.counts.agree_with_remarks,
  disagree: c.counts.disagree,
  abstain: c.counts.abstain,
  none: c.counts.none,
});
