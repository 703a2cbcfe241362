/** Dutch first, English beside it: the words the interface uses for statuses and roles. */
export const statusLabel: Record<string, string> = {
  draft: 'Concept (draft)',
  review: 'Ter bespreking (review)',
  ready: 'Ter vaststelling (ready: text locked)',
  signed_off: 'Vastgesteld (signed off)',
};

/** What each status means, for a tooltip or a line under the status. */
export const statusMeaning: Record<string, string> = {
  draft: 'Behandelaars schrijven; iedereen kan reageren. (Editors write; everyone may comment.)',
  review:
    'Gemeenten en voorzitter geven hun standpunt; behandelaars kunnen nog schrijven. (Consultation; editors still write.)',
  ready:
    'De tekst ligt vast voor iedereen; de voorzitter kan vaststellen. (The text is locked for everyone; the chair may sign off.)',
  signed_off: 'Vastgesteld door de voorzitter; de tekst is bevroren. (Signed off by the chair; the text is frozen.)',
};

export const roleLabel: Record<string, string> = {
  editor: 'Behandelaar (editor)',
  commenter: 'Commentaar (commenter)',
  chair: 'Voorzitter (chair)',
  viewer: 'Lezer (viewer)',
};

export const formatDateTime = (value: string | Date) =>
  new Intl.DateTimeFormat('nl-NL', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Amsterdam' }).format(
    new Date(value),
  );

/** Shown when a request never got an answer (offline, server unreachable): the person can simply try again. */
export const networkError =
  'Geen verbinding met de server; probeer het opnieuw. (No connection to the server; try again.)';

/** Reads the JSON error of the API (`{error: {code, message}}`) into one line to show. */
export async function apiError(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    return body.error?.message ?? `Fout ${res.status}`;
  } catch {
    return `Fout ${res.status}`;
  }
}
