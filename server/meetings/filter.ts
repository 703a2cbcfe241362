import type { DocumentStatus } from '../../db/schema';
import type { Services } from '../services';

/**
 * The document list's filters (issue 16): by meeting (on its agenda), by status, and "needs my input" (an open
 * consultation round awaiting the reader's answer, or an open thread in which a comment mentions them; see
 * documentIdsNeedingInput). Applied to the reader's own list, so no filter reveals another person's documents.
 */
export async function filterDocuments<D extends { id: string; status: DocumentStatus }>(
  s: Pick<Services, 'meetings'>,
  userId: string,
  documents: D[],
  filter: { meeting?: string; status?: DocumentStatus; mine?: '1' },
): Promise<D[]> {
  const onMeeting = filter.meeting ? await s.meetings.onMeeting(filter.meeting) : undefined;
  const needing = filter.mine ? await s.meetings.needingInput(userId) : undefined;
  return documents.filter(
    (d) =>
      (!onMeeting || onMeeting.has(d.id)) &&
      (!filter.status || d.status === filter.status) &&
      (!needing || needing.has(d.id)),
  );
}
