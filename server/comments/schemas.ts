import { z } from 'zod';

/**
 * Request bodies of the comments API; imported by the route handlers, so kept free of database code.
 * Comment text is plain text: line breaks are kept (normalised to \n), nothing is ever interpreted as markup.
 */
export const maxCommentChars = 10_000;
export const maxMentions = 50;
/** A base64 `Y.encodeRelativePosition`: a few dozen bytes in practice; the cap only bounds what we decode. */
const maxAnchorChars = 1_024;

const bodySchema = z
  .string({ message: 'body is required' })
  .transform((s) => s.replace(/\r\n?/g, '\n').trim())
  .pipe(z.string().min(1, 'body is required').max(maxCommentChars, `body longer than ${maxCommentChars} characters`));

const mentionsSchema = z
  .array(z.uuid('a mention is a user id'))
  .max(maxMentions, `at most ${maxMentions} mentions`)
  .default([])
  .transform((ids) => [...new Set(ids.map((id) => id.toLowerCase()))]); // one canonical form before ids become keys

const anchorPart = z
  .string()
  .min(1)
  .max(maxAnchorChars, 'anchor too long')
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'anchor must be base64');

export const anchorSchema = z.strictObject({ start: anchorPart, end: anchorPart });

/** A suggestion's id (common/schema/suggestions.ts): made by the browser, so only its shape is fixed. */
export const suggestionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'invalid suggestion id');

export const createThreadSchema = z.strictObject({
  anchor: anchorSchema,
  body: bodySchema,
  mentions: mentionsSchema,
  /** The thread discusses this suggestion (its card in the sidebar shows the thread). */
  suggestionId: suggestionIdSchema.optional(),
});
export const replySchema = z.strictObject({ body: bodySchema, mentions: mentionsSchema });
export const editCommentSchema = replySchema;

export const threadFilterSchema = z.enum(['open', 'resolved', 'all']).catch('all');
export type ThreadFilter = z.infer<typeof threadFilterSchema>;

export type CreateThreadInput = z.infer<typeof createThreadSchema>;
export type CommentInput = z.infer<typeof replySchema>;

/**
 * Paging. Threads and comments are paged in creation order (`created_at`, then `id`): a key that concurrent edits of
 * the text never move, so walking the cursor returns every row exactly once. The cursor is opaque to clients:
 * base64url of `{t, id}`, the last row's creation time (ISO, microseconds) and id.
 */
export const threadsPerPage = { default: 50, max: 100 } as const;
export const commentsPerPage = { default: 50, max: 100 } as const;
/** A thread view holds its first comment and the latest ones, this many in all; `commentCount` tells the rest. */
export const commentsShownPerThread = 20;

export interface PageKey {
  t: string;
  id: string;
}

const pageKeySchema = z.strictObject({ t: z.iso.datetime(), id: z.uuid() });
const invalidCursor = 'invalid cursor';

export const encodeCursor = (key: PageKey) =>
  Buffer.from(JSON.stringify({ t: key.t, id: key.id })).toString('base64url');

export const cursorSchema = z
  .string()
  .max(200, invalidCursor)
  .regex(/^[A-Za-z0-9_-]+$/, invalidCursor)
  .transform((cursor, ctx): PageKey => {
    const key = pageKeySchema.safeParse(parseJson(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (key.success) return key.data;
    ctx.addIssue({ code: 'custom', message: invalidCursor });
    return z.NEVER;
  });

/** JSON.parse for untrusted text, where "not JSON" is just one more way of being invalid. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // reported by the caller's schema as an invalid cursor
  }
}

const limitSchema = (limits: { default: number; max: number }) =>
  z.coerce
    .number({ message: 'limit must be a number' })
    .int('limit must be an integer')
    .min(1, 'limit is at least 1')
    .max(limits.max, `limit is at most ${limits.max}`)
    .default(limits.default);

export const threadPageQuerySchema = z.object({
  status: threadFilterSchema.default('all'),
  limit: limitSchema(threadsPerPage),
  cursor: cursorSchema.optional(),
});
export const commentPageQuerySchema = z.object({
  limit: limitSchema(commentsPerPage),
  cursor: cursorSchema.optional(),
});
export type ThreadPageQuery = z.infer<typeof threadPageQuerySchema>;
export type CommentPageQuery = z.infer<typeof commentPageQuerySchema>;
