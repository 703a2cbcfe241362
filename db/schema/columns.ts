import { customType } from 'drizzle-orm/pg-core';

/** A PostgreSQL `tsvector` (full-text search); PGlite and PostgreSQL both hand it back as text. */
export const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
