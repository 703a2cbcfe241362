import { z } from 'zod';
import { searchQueryMaxLength } from '../../common/api/search';

/** `GET /api/search?q=…`: 1–200 characters after trimming. */
export const searchQuerySchema = z.object({
  q: z
    .string({ message: 'query is missing' })
    .trim()
    .min(1, 'query is empty')
    .max(searchQueryMaxLength, `query is longer than ${searchQueryMaxLength} characters`),
});
