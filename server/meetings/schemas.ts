import { z } from 'zod';
import { maxItemNumber, meetingBodies } from '../../common/meetings';

/** Request bodies of the meetings API; free of database code. */
const isoDate = z.iso.date({ message: 'date must be YYYY-MM-DD' });
const location = z.string().trim().min(1, 'location is required').max(200);
const body = z.enum(meetingBodies, {
  message: 'body must be algemeen_bestuur or dagelijks_bestuur',
});

export const createMeetingSchema = z.strictObject({ body, date: isoDate, location });
export type CreateMeetingInput = z.infer<typeof createMeetingSchema>;
export const updateMeetingSchema = z
  .strictObject({ body: body.optional(), date: isoDate.optional(), location: location.optional() })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });
export type UpdateMeetingInput = z.infer<typeof updateMeetingSchema>;

export const placeOnAgendaSchema = z.strictObject({
  meetingId: z.uuid().transform((id) => id.toLowerCase()),
  itemNumber: z.number().int().min(1).max(maxItemNumber),
});
export type PlaceOnAgendaInput = z.infer<typeof placeOnAgendaSchema>;

/** The document list's filters (`/?meeting=…&status=…&mine=1`). */
export const documentFilterSchema = z.object({
  meeting: z
    .uuid()
    .transform((id) => id.toLowerCase())
    .optional()
    .catch(undefined),
  status: z.enum(['draft', 'review', 'ready', 'signed_off']).optional().catch(undefined),
  mine: z.literal('1').optional().catch(undefined),
});
