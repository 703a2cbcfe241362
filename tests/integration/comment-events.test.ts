import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { jsonMessage } from '../../common/protocol';
import { connectProvider } from '../helpers/collab';
import { anchorFor, collectCommentEvents } from '../helpers/comments';
import { apiClient, signIn } from '../helpers/http';
import { makeUser, startTestServer, type TestServer } from '../helpers/server';

/**
 * What one open collaboration connection receives while a thread grows: each change as its own small event (type
 * 101), not the whole thread again. Both sizes are computed from the real thread the server stored.
 */
type Who = 'editor' | 'mayor' | 'viewer';
let server: TestServer;
const cookie = {} as Record<Who, string>;
const user = {} as Record<Who, { id: string; email: string }>;
const api = (who: Who) => apiClient(server.url, cookie[who]);
const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((f) => f()));

beforeAll(async () => {
  server = await startTestServer(); // with test limits: hundreds of replies in seconds are far above the real ones
  for (const who of ['editor', 'mayor', 'viewer'] as const) {
    user[who] = await makeUser(server, who);
    cookie[who] = await signIn(server.url, user[who].email);
  }
});
afterAll(() => server?.dispose());

function open(who: Who, documentId: string) {
  const client = connectProvider(server.url, documentId, cookie[who], { stukwerk: true });
  cleanup.push(() => client.destroy());
  return client;
}
const synced = (c: ReturnType<typeof open>) =>
  vi.waitFor(() => expect(c.provider.synced).toBe(true), { timeout: 10_000 });

/** Byte sizes of the comment frames (message type 101: first byte 0x65) that reach this connection's socket. */
function countCommentFrames(client: ReturnType<typeof open>): number[] {
  const sizes: number[] = [];
  client.provider.ws!.addEventListener('message', (event: MessageEvent) => {
    const bytes = new Uint8Array(event.data as ArrayBuffer);
    if (bytes[0] === 101) sizes.push(bytes.byteLength);
  });
  return sizes;
}

interface StoredComment {
  id: string;
  body: string | null;
}

/** Every comment of a thread as stored, following the comment pages when the thread view holds only some. */
async function allComments(documentId: string, threadId: string) {
  const { body } = await api('viewer').get(`/api/documents/${documentId}/comments/${threadId}`);
  const thread = body.thread as { comments: StoredComment[]; commentCount?: number };
  if (thread.commentCount === undefined || thread.commentCount === thread.comments.length)
    return { thread, comments: thread.comments };
  const comments: StoredComment[] = [];
  let cursor: string | null = null;
  do {
    const page = await api('viewer').get(
      `/api/documents/${documentId}/comments/${threadId}/comments?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(page.status).toBe(200);
    comments.push(...page.body.comments);
    cursor = page.body.nextCursor;
  } while (cursor);
  return { thread, comments };
}

describe('comment events on the collaboration connection', () => {
  it('each reply reaches an open connection as one event whose size does not grow with the thread', async () => {
    const replies = 200;
    const { body: doc } = await api('editor').post('/api/documents', { title: 'Veel reacties', template: 'blank' });
    for (const who of ['mayor', 'viewer'] as const) {
      await api('editor').post(`/api/documents/${doc.id}/members`, {
        email: user[who].email,
        role: who === 'mayor' ? 'commenter' : 'viewer',
      });
    }
    const editor = open('editor', doc.id);
    const listener = open('viewer', doc.id);
    await Promise.all([synced(editor), synced(listener)]);
    editor.addParagraph('Gevraagd wordt in te stemmen met bijgaande memo.');
    await vi.waitFor(() => expect(listener.text()).toContain('bijgaande memo'));

    const frames = countCommentFrames(listener);
    const events = collectCommentEvents(listener.provider);
    const created = await api('mayor').post(`/api/documents/${doc.id}/comments`, {
      anchor: anchorFor(editor.fragment, 'bijgaande memo'),
      body: 'Vraag over de memo.',
    });
    expect(created.status).toBe(201);
    const threadId = created.body.thread.id as string;
    await vi.waitFor(() => expect(frames).toHaveLength(1));

    for (let i = 1; i <= replies; i++) {
      const who = i % 2 ? 'editor' : 'mayor';
      const res = await api(who).post(`/api/documents/${doc.id}/comments/${threadId}/replies`, {
        body: `Antwoord nummer ${String(i).padStart(4, '0')}.`,
      });
      expect(res.status).toBe(201);
      // One frame per reply, so each size belongs to one reply.
      await vi.waitFor(() => expect(frames).toHaveLength(i + 1), { timeout: 2_000, interval: 2 });
    }

    // What resending the whole thread would have cost: the real thread as stored, as long as it was at each reply.
    const { thread, comments } = await allComments(doc.id, threadId);
    expect(comments).toHaveLength(replies + 1);
    const wholeThreadFrame = (length: number) =>
      jsonMessage(101, {
        type: 'comment.added',
        thread: { ...thread, comments: comments.slice(0, length) },
        actorId: user.editor.id,
        mentioned: [],
      }).byteLength;
    const wholeThreadTotal = Array.from({ length: replies }, (_, i) => wholeThreadFrame(i + 2)).reduce(
      (a, b) => a + b,
      0,
    );
    const replyFrames = frames.slice(1);
    const total = replyFrames.reduce((a, b) => a + b, 0);
    console.log(
      `[comment events] ${replies} replies: first reply ${replyFrames[0]} B, last ${replyFrames.at(-1)} B, total ${total} B; whole-thread resends would be ${wholeThreadTotal} B (last ${wholeThreadFrame(replies + 1)} B)`,
    );

    // The last reply's event is about as large as the first one's (same body length; only ids and times differ).
    expect(replyFrames.at(-1)!).toBeLessThanOrEqual(replyFrames[0]! * 1.2);
    expect(Math.max(...replyFrames)).toBeLessThan(wholeThreadFrame(3));
    expect(total * 10).toBeLessThan(wholeThreadTotal);

    // The events alone are enough to hold the whole thread, in the stored order.
    await vi.waitFor(() => expect(events).toHaveLength(replies + 1));
    expect(events.at(-1)!.thread.comments.map((c) => c.id)).toEqual(comments.map((c) => c.id));
    expect(events.at(-1)!.thread.comments.at(-1)!.body).toBe(`Antwoord nummer ${String(replies).padStart(4, '0')}.`);
  });
});
