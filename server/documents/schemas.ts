import { z } from 'zod';
import { emailSchema } from '../users/schemas';

/** Request bodies of the documents API; imported by the route handlers, so kept free of database code. */
export const roles = ['editor', 'commenter', 'chair', 'viewer'] as const;

export const roleSchema = z.enum(roles, {
  message: 'role must be editor, commenter, chair or viewer',
});

export const createDocumentSchema = z.strictObject({
  title: z.string().trim().min(1, 'title is required').max(300, 'title too long'),
  template: z
    .enum(['voorstel', 'blank'], {
      message: 'template must be voorstel or blank',
    })
    .default('voorstel'),
});

export const addMemberSchema = z.strictObject({ email: emailSchema, role: roleSchema });
export const changeRoleSchema = z.strictObject({ role: roleSchema });

const titleSchema = z.string().trim().min(1, 'title is required').max(300, 'title too long');
export const renameDocumentSchema = z.strictObject({ title: titleSchema });
export const duplicateDocumentSchema = z.strictObject({ title: titleSchema.optional() });

/** `GET /api/documents?archived=exclude|only|include` (default: archived documents left out). */
export const listDocumentsQuery = z.strictObject({
  archived: z
    .enum(['exclude', 'only', 'include'], {
      message: 'archived must be exclude, only or include',
    })
    .optional(),
});

/** Adding a group (server/groups): every person of the group with this one role. */
export const addGroupSchema = z.strictObject({
  groupId: z.uuid().transform((id) => id.toLowerCase()),
  role: roleSchema,
});
