CREATE TYPE "public"."round_mail_kind" AS ENUM('request', 'reminder_before', 'reminder_due_day', 'all_answered', 'closed');--> statement-breakpoint
ALTER TYPE "public"."round_close_reason" ADD VALUE 'ready';--> statement-breakpoint
CREATE TABLE "round_mails" (
	"round_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" "round_mail_kind" NOT NULL,
	"outbox_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "round_mails_round_id_user_id_kind_pk" PRIMARY KEY("round_id","user_id","kind")
);
--> statement-breakpoint
ALTER TABLE "round_mails" ADD CONSTRAINT "round_mails_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_mails" ADD CONSTRAINT "round_mails_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_mails" ADD CONSTRAINT "round_mails_outbox_id_mail_outbox_id_fk" FOREIGN KEY ("outbox_id") REFERENCES "public"."mail_outbox"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "round_mails_user_idx" ON "round_mails" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "round_mails_outbox_idx" ON "round_mails" USING btree ("outbox_id");