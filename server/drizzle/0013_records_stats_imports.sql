CREATE TABLE "stats_imports" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"source_name" text NOT NULL,
	"unit" text NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"figures" jsonb NOT NULL,
	"origin" jsonb NOT NULL,
	"imported_at" timestamp with time zone NOT NULL,
	"imported_by" text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "stats_imports_source_unit_period_idx" ON "stats_imports" USING btree ("source","unit","period_from","period_to");