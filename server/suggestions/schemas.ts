import { z } from 'zod';

/** Request bodies of the suggestions API. */
export const decideAllSchema = z.strictObject({
  /** Whose suggestions: every open suggestion of this member. */
  authorId: z.uuid('authorId is a user id').transform((id) => id.toLowerCase()),
});
export type DecideAllInput = z.infer<typeof decideAllSchema>;

export { suggestionIdSchema } from '../comments/schemas';
