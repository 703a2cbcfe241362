ALTER TABLE "document_snapshots" ALTER COLUMN "last_seq" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "session_version" integer DEFAULT 0 NOT NULL;