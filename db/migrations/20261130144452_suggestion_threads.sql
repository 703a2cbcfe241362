ALTER TABLE "comment_threads" ADD COLUMN "suggestion_id" text;--> statement-breakpoint
CREATE INDEX "comment_threads_suggestion_idx" ON "comment_threads" USING btree ("document_id","suggestion_id");