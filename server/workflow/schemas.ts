import { z } from 'zod';

/** Request bodies of the workflow and versions API; free of database code (route handlers import them). */
export const statusChangeSchema = z.strictObject({
  status: z.enum(['review', 'ready', 'draft'], {
    message: 'status must be review, ready or draft',
  }),
});

export const emptyBodySchema = z.strictObject({});

export const nameVersionSchema = z.strictObject({
  name: z.string().trim().min(1, 'name is required').max(200, 'name too long'),
});

/** The sign-off: `acknowledgeOpenItems` says the chair saw the open items in the dialog and signs anyway. */
export const signOffSchema = z.strictObject({ acknowledgeOpenItems: z.boolean().optional() });
