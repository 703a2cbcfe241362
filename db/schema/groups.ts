import { relations, sql } from 'drizzle-orm';
import { index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

/**
 * A named set of people that an administrator keeps ("Alle burgemeesters"): an editor adds a whole group to a
 * document in one step, but each person becomes a document member of their own (server/groups), so the group is a
 * shortcut for adding, never a membership that documents depend on.
 */
export const peopleGroups = pgTable(
  'people_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('people_groups_name_unique').on(sql`lower(${t.name})`),
    index('people_groups_created_by_idx').on(t.createdBy),
  ],
);

export const peopleGroupMembers = pgTable(
  'people_group_members',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => peopleGroups.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index('people_group_members_user_idx').on(t.userId)],
);

export const peopleGroupsRelations = relations(peopleGroups, ({ many }) => ({ members: many(peopleGroupMembers) }));
export const peopleGroupMembersRelations = relations(peopleGroupMembers, ({ one }) => ({
  group: one(peopleGroups, { fields: [peopleGroupMembers.groupId], references: [peopleGroups.id] }),
  user: one(users, { fields: [peopleGroupMembers.userId], references: [users.id] }),
}));

export type PeopleGroup = typeof peopleGroups.$inferSelect;
