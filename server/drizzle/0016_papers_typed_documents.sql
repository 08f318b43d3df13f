CREATE TABLE "shared_data_lookups" (
	"id" text PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"personal_id" text NOT NULL,
	"unit" text NOT NULL,
	"actor_id" text NOT NULL,
	"actor_name" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"consent" jsonb NOT NULL,
	"purpose" text NOT NULL,
	"record" jsonb NOT NULL,
	"source_ref" text,
	"dossier_id" text
);
--> statement-breakpoint
CREATE TABLE "stats_papers" (
	"unit" text NOT NULL,
	"day" date NOT NULL,
	"dossiers_digitised" integer DEFAULT 0 NOT NULL,
	"papers_digitised" integer DEFAULT 0 NOT NULL,
	"results" integer DEFAULT 0 NOT NULL,
	"results_electronic" integer DEFAULT 0 NOT NULL,
	"dossiers_reusing" integer DEFAULT 0 NOT NULL,
	"papers_reused" integer DEFAULT 0 NOT NULL,
	"lookups" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "stats_papers_unit_day_pk" PRIMARY KEY("unit","day")
);
--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "kind" text DEFAULT 'submitted' NOT NULL;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "paper_id" text;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "holder_id" text;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "meta" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "digitised_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "digitised_by" text;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "reused_from" text;--> statement-breakpoint
CREATE INDEX "shared_data_lookups_person_idx" ON "shared_data_lookups" USING btree ("personal_id","at");--> statement-breakpoint
CREATE INDEX "shared_data_lookups_dossier_idx" ON "shared_data_lookups" USING btree ("dossier_id");--> statement-breakpoint
CREATE INDEX "documents_holder_idx" ON "documents" USING btree ("holder_id","kind") WHERE "documents"."holder_id" is not null;--> statement-breakpoint
-- Backfill: every document stored before kinds existed was uploaded by a desk officer or a specialist
-- through the dossier's documents (slips are kept in dossier_slips): a paper submitted, not yet linked
-- to a checklist item, not digitised. The column default gave them kind 'submitted'; no holder, no metadata.
UPDATE "documents" SET "kind" = 'submitted' WHERE "kind" IS DISTINCT FROM 'submitted';--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_kind_check" CHECK ("kind" IN ('submitted', 'digitised', 'result', 'slip'));
