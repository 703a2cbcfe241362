import { vi, expect } from 'vitest';
import { connectProvider } from './collab';
import { anchorFor } from './comments';
import { apiClient } from './http';
import type { TestSmtpServer } from './smtp';

/** A phrase of the voorstel template to comment on. */
export const templatePhrase = 'Toelichting voor het algemeen bestuur';

/** The anchor a client would send for `phrase` of a document (a real provider syncs it, then disconnects). */
export async function anchorIn(baseUrl: string, documentId: string, cookie: string, phrase = templatePhrase) {
  const client = connectProvider(baseUrl, documentId, cookie);
  try {
    await vi.waitFor(() => expect(client.provider.synced).toBe(true), { timeout: 10_000 });
    return anchorFor(client.fragment, phrase);
  } finally {
    client.destroy();
  }
}

/** Starts a thread with a comment; returns its id. */
export async function startThread(
  baseUrl: string,
  cookie: string,
  documentId: string,
  anchor: { start: string; end: string },
  body: string,
  mentions: string[] = [],
) {
  const res = await apiClient(baseUrl, cookie).post(`/api/documents/${documentId}/comments`, {
    anchor,
    body,
    mentions,
  });
  if (res.status !== 201) throw new Error(`thread not created: ${res.status} ${res.text}`);
  return res.body.thread.id as string;
}

/** Waits until a received mail matches, and returns it. */
export async function mailMatching(
  smtp: TestSmtpServer,
  predicate: (m: TestSmtpServer['messages'][number]) => boolean,
  timeout = 10_000,
) {
  return vi.waitFor(
    () => {
      const found = smtp.messages.find(predicate);
      if (!found) throw new Error('no such mail yet');
      return found;
    },
    { timeout, interval: 5 },
  );
}

export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
