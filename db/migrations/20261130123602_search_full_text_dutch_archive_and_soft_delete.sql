ALTER TABLE "documents" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "document_snapshots" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('dutch', jsonb_path_query_array(json, 'strict $.content[*] ? (@.type == "metadata").**.text')::text), 'B') || setweight(to_tsvector('dutch', left(text, 400000)), 'C')) STORED;--> statement-breakpoint
CREATE INDEX "documents_title_search_idx" ON "documents" USING gin (to_tsvector('dutch', "title"));--> statement-breakpoint
CREATE INDEX "document_snapshots_search_idx" ON "document_snapshots" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "comments_search_idx" ON "comments" USING gin (to_tsvector('dutch', "body"));