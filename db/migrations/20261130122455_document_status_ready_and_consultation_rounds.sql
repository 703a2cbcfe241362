CREATE TYPE "public"."round_close_reason" AS ENUM('due', 'manual');--> statement-breakpoint
CREATE TYPE "public"."round_position" AS ENUM('agree', 'agree_with_remarks', 'disagree', 'abstain');--> statement-breakpoint
CREATE TYPE "public"."round_status" AS ENUM('open', 'closed');--> statement-breakpoint
ALTER TYPE "public"."document_status" ADD VALUE 'ready';--> statement-breakpoint
CREATE TABLE "round_reviewers" (
	"round_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"position" "round_position",
	"remark" text,
	"responded_at" timestamp with time zone,
	CONSTRAINT "round_reviewers_round_id_user_id_pk" PRIMARY KEY("round_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "rounds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"question" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" "round_status" DEFAULT 'open' NOT NULL,
	"opened_by" uuid,
	"closed_by" uuid,
	"closed_at" timestamp with time zone,
	"closed_reason" "round_close_reason",
	"all_answered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "round_reviewers" ADD CONSTRAINT "round_reviewers_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_reviewers" ADD CONSTRAINT "round_reviewers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_opened_by_users_id_fk" FOREIGN KEY ("opened_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "round_reviewers_user_idx" ON "round_reviewers" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "rounds_document_idx" ON "rounds" USING btree ("document_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "rounds_one_open_per_document" ON "rounds" USING btree ("document_id") WHERE "rounds"."status" = 'open';--> statement-breakpoint
CREATE INDEX "rounds_open_due_idx" ON "rounds" USING btree ("due_at") WHERE "rounds"."status" = 'open';--> statement-breakpoint
CREATE INDEX "rounds_opened_by_idx" ON "rounds" USING btree ("opened_by");--> statement-breakpoint
CREATE INDEX "rounds_closed_by_idx" ON "rounds" USING btree ("closed_by");