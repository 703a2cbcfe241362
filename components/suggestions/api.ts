import { apiError } from '../labels';

/** The suggestions API from the browser; the document itself changes live for everyone (the cards follow it). */
async function post(url: string, body?: unknown): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(await apiError(res));
}

export type SuggestionAction = 'accept' | 'reject' | 'withdraw';

export function suggestionsApi(documentId: string) {
  const base = `/api/documents/${encodeURIComponent(documentId)}/suggestions`;
  return {
    /** `threadId` per suggestion, where one has a reply thread. */
    async threads(): Promise<Map<string, string>> {
      const res = await fetch(base);
      if (!res.ok) throw new Error(await apiError(res));
      const body = (await res.json()) as { suggestions: { id: string; threadId?: string | null }[] };
      return new Map(body.suggestions.flatMap((s) => (s.threadId ? [[s.id, s.threadId] as const] : [])));
    },
    act: (id: string, action: SuggestionAction) => post(`${base}/${encodeURIComponent(id)}/${action}`),
    all: (authorId: string, decision: 'accept' | 'reject') => post(`${base}/${decision}-all`, { authorId }),
  };
}

export type SuggestionsApi = ReturnType<typeof suggestionsApi>;
