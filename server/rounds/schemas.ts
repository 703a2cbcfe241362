import { z } from 'zod';
import { maxQuestionChars, maxRemarkChars, positionsNeedingRemark, roundPositions } from '../../common/rounds';

/** Request bodies of the rounds API; free of database code (route handlers import them). */
export const openRoundSchema = z.strictObject({
  question: z.string().trim().min(1, 'question is required').max(maxQuestionChars, 'question too long'),
  dueAt: z.iso.datetime({ offset: true, message: 'dueAt must be an ISO date-time' }).transform((v) => new Date(v)),
  reviewerIds: z
    .array(z.uuid().transform((id) => id.toLowerCase()))
    .min(1)
    .max(500)
    .optional(),
});
export type OpenRoundInput = z.infer<typeof openRoundSchema>;

export const roundResponseSchema = z
  .strictObject({
    position: z.enum(roundPositions, {
      message: 'invalid position',
    }),
    remark: z.string().trim().max(maxRemarkChars, `remark longer than ${maxRemarkChars} characters`).optional(),
  })
  .refine((r) => !positionsNeedingRemark.includes(r.position) || !!r.remark, {
    message: 'a remark is required for this position',
    path: ['remark'],
  });
export type RoundResponseInput = z.infer<typeof roundResponseSchema>;
