-- The update log keeps one index, (document_id, seq), as its primary key: the index on seq alone was never read.
ALTER TABLE "document_updates" DROP CONSTRAINT "document_updates_pkey";--> statement-breakpoint
DROP INDEX "document_updates_document_seq_idx";--> statement-breakpoint
ALTER TABLE "document_updates" ADD CONSTRAINT "document_updates_document_id_seq_pk" PRIMARY KEY("document_id","seq");
