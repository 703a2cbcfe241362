import { relations } from 'drizzle-orm';
import { date, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { meetingBodies } from '../../common/meetings';
import { documents } from './documents';
import { users } from './users';

export const meetingBody = pgEnum('meeting_body', meetingBodies);

/** A meeting of the algemeen or dagelijks bestuur, whose agenda lists voorstellen (server/meetings). */
export const meetings = pgTable(
  'meetings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    body: meetingBody('body').notNull(),
    /** The day of the meeting (no time zone: it is a calendar date, as in the header's DATUM). */
    date: date('date', { mode: 'string' }).notNull(),
    location: text('location').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('meetings_date_idx').on(t.date), index('meetings_created_by_idx').on(t.createdBy)],
);

/**
 * A document on a meeting's agenda: at most one meeting per document (its header has one AGENDAPUNT and DATUM),
 * and one document per item number on an agenda.
 */
export const meetingItems = pgTable(
  'meeting_items',
  {
    documentId: uuid('document_id')
      .primaryKey()
      .references(() => documents.id, { onDelete: 'cascade' }),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    itemNumber: integer('item_number').notNull(),
    addedBy: uuid('added_by').references(() => users.id, { onDelete: 'set null' }),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('meeting_items_meeting_number_unique').on(t.meetingId, t.itemNumber),
    index('meeting_items_added_by_idx').on(t.addedBy),
  ],
);

export const meetingsRelations = relations(meetings, ({ many }) => ({ items: many(meetingItems) }));
export const meetingItemsRelations = relations(meetingItems, ({ one }) => ({
  meeting: one(meetings, { fields: [meetingItems.meetingId], references: [meetings.id] }),
  document: one(documents, { fields: [meetingItems.documentId], references: [documents.id] }),
}));

export type Meeting = typeof meetings.$inferSelect;
export type MeetingItem = typeof meetingItems.$inferSelect;
