CREATE TABLE "stats_monthly" (
	"unit" text NOT NULL,
	"month" date NOT NULL,
	"procedure_id" text NOT NULL,
	"field" text NOT NULL,
	"received_online" integer DEFAULT 0 NOT NULL,
	"received_direct" integer DEFAULT 0 NOT NULL,
	"received_postal" integer DEFAULT 0 NOT NULL,
	"resolved_early" integer DEFAULT 0 NOT NULL,
	"resolved_on_time" integer DEFAULT 0 NOT NULL,
	"resolved_late" integer DEFAULT 0 NOT NULL,
	"refused" integer DEFAULT 0 NOT NULL,
	"withdrawn" integer DEFAULT 0 NOT NULL,
	"closed_other" integer DEFAULT 0 NOT NULL,
	"rating_count" integer DEFAULT 0 NOT NULL,
	"rating_sum" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "stats_monthly_unit_month_procedure_id_pk" PRIMARY KEY("unit","month","procedure_id")
);
--> statement-breakpoint
DROP INDEX "dossiers_closed_idx";--> statement-breakpoint
CREATE INDEX "dossiers_closed_idx" ON "dossiers" USING btree ("competent_unit","closed_at","received_at","due_at","field","procedure_id");--> statement-breakpoint
-- Backfill: the monthly counts of the daily rollups kept so far.
INSERT INTO "stats_monthly" ("unit", "month", "procedure_id", "field", "received_online", "received_direct", "received_postal",
  "resolved_early", "resolved_on_time", "resolved_late", "refused", "withdrawn", "closed_other", "rating_count", "rating_sum")
SELECT "unit", date_trunc('month', "day")::date, "procedure_id", min("field"), sum("received_online"), sum("received_direct"), sum("received_postal"),
  sum("resolved_early"), sum("resolved_on_time"), sum("resolved_late"), sum("refused"), sum("withdrawn"), sum("closed_other"), sum("rating_count"), sum("rating_sum")
FROM "stats_daily" GROUP BY "unit", date_trunc('month', "day")::date, "procedure_id";
