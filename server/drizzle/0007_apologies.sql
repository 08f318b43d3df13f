ALTER TABLE "stats_daily" ADD COLUMN "apologies" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stats_monthly" ADD COLUMN "apologies" integer DEFAULT 0 NOT NULL;