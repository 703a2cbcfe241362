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
    act: (id: string, action: SuggestionAction) => post(`${base}/${encodeURIComponent(id)}/${action}`),
    all: (authorId: string, decision: 'accept' | 'reject') => post(`${base}/${decision}-all`, { authorId }),
  };
}

export type SuggestionsApi = ReturnType<typeof suggestionsApi>;
