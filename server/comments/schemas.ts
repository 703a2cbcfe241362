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
  .string({ message: 'tekst is verplicht / body is required' })
  .transform((s) => s.replace(/\r\n?/g, '\n').trim())
  .pipe(
    z
      .string()
      .min(1, 'tekst is verplicht / body is required')
      .max(maxCommentChars, `tekst is langer dan ${maxCommentChars} tekens / body longer than ${maxCommentChars} characters`),
  );

const mentionsSchema = z
  .array(z.uuid('een vermelding is een gebruikers-id / a mention is a user id'))
  .max(maxMentions, `hoogstens ${maxMentions} vermeldingen / at most ${maxMentions} mentions`)
  .default([])
  .transform((ids) => [...new Set(ids.map((id) => id.toLowerCase()))]); // one canonical form before ids become keys

const anchorPart = z
  .string()
  .min(1)
  .max(maxAnchorChars, 'anker te lang / anchor too long')
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'anker moet base64 zijn / anchor must be base64');

export const anchorSchema = z.strictObject({ start: anchorPart, end: anchorPart });

export const createThreadSchema = z.strictObject({ anchor: anchorSchema, body: bodySchema, mentions: mentionsSchema });
export const replySchema = z.strictObject({ body: bodySchema, mentions: mentionsSchema });
export const editCommentSchema = replySchema;

export const threadFilterSchema = z.enum(['open', 'resolved', 'all']).catch('all');
export type ThreadFilter = z.infer<typeof threadFilterSchema>;

export type CreateThreadInput = z.infer<typeof createThreadSchema>;
export type CommentInput = z.infer<typeof replySchema>;
