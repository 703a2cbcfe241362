import { z } from 'zod';
import { emailSchema } from '../users/schemas';

/** Request bodies of the administration API (`/api/admin/...`); free of database code. */
const organisation = z.string().trim().min(1).max(200);

export const addPersonSchema = z.strictObject({
  email: emailSchema,
  name: z.string().trim().min(1).max(200),
  password: z.string().min(12).max(1024),
  organisation: organisation.optional(),
  isAdmin: z.boolean().default(false),
});

/** One change per request: `{active}`, `{organisation}` (null clears it) or `{isAdmin}`. */
export const updatePersonSchema = z.union([
  z.strictObject({ active: z.boolean() }),
  z.strictObject({ organisation: organisation.nullable() }),
  z.strictObject({ isAdmin: z.boolean() }),
]);
export type UpdatePersonInput = z.infer<typeof updatePersonSchema>;

const groupName = z.string().trim().min(1, 'name is required').max(200);
const userIds = z
  .array(z.uuid().transform((id) => id.toLowerCase()))
  .max(1000)
  .transform((ids) => [...new Set(ids)]);

export const createGroupSchema = z.strictObject({ name: groupName, memberIds: userIds.default([]) });
export const updateGroupSchema = z
  .strictObject({ name: groupName.optional(), memberIds: userIds.optional() })
  .refine((b) => b.name !== undefined || b.memberIds !== undefined, {
    message: 'nothing to change',
  });

/** `GET /api/admin/people?q=&page=&pageSize=`: a page of the people table (defaults: page 1 of 50). */
export const peopleQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type PeopleQuery = z.infer<typeof peopleQuerySchema>;
