import { relations } from 'drizzle-orm';
import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { documents } from './documents';
import { users } from './users';

/** Append-only: the app inserts and reads audit events, never updates or deletes them. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    /** e.g. `document.created`, `member.added`, `member.role_changed`, `member.removed`. */
    action: text('action').notNull(),
    documentId: uuid('document_id').references(() => documents.id, { onDelete: 'cascade' }),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_events_document_idx').on(t.documentId, t.createdAt),
    index('audit_events_actor_idx').on(t.actorId),
  ],
);

export const auditEventsRelations = relations(auditEvents, ({ one }) => ({
  actor: one(users, { fields: [auditEvents.actorId], references: [users.id] }),
  document: one(documents, { fields: [auditEvents.documentId], references: [documents.id] }),
}));

export type AuditEvent = typeof auditEvents.$inferSelect;
