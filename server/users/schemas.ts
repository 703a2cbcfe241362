import { z } from 'zod';

/** E-mail addresses are compared and stored lower-cased. */
export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'invalid e-mail address' }))
  .transform((e) => e.toLowerCase());
