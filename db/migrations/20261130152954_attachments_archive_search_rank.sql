CREATE TABLE "document_attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "documents_title_search_idx";--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "title_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('dutch', title), 'A')) STORED;--> statement-breakpoint
ALTER TABLE "document_snapshots" ADD COLUMN "rank_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('dutch', jsonb_path_query_array(json, 'strict $.content[*] ? (@.type == "metadata").**.text')::text), 'B') || setweight(to_tsvector('dutch', left(text, 2000)), 'C')) STORED;--> statement-breakpoint
ALTER TABLE "document_versions" ADD COLUMN "attachments" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "document_attachments" ADD CONSTRAINT "document_attachments_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_attachments" ADD CONSTRAINT "document_attachments_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "document_attachments_document_idx" ON "document_attachments" USING btree ("document_id","created_at");--> statement-breakpoint
CREATE INDEX "document_attachments_sha_idx" ON "document_attachments" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "documents_title_vector_idx" ON "documents" USING gin ("title_vector");