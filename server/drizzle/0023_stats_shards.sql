ALTER TABLE "stats_daily" DROP CONSTRAINT "stats_daily_unit_day_procedure_id_pk";--> statement-breakpoint
ALTER TABLE "stats_monthly" DROP CONSTRAINT "stats_monthly_unit_month_procedure_id_pk";--> statement-breakpoint
ALTER TABLE "stats_steps" DROP CONSTRAINT "stats_steps_unit_day_procedure_id_step_pk";--> statement-breakpoint
ALTER TABLE "stats_daily" ADD COLUMN "shard" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stats_monthly" ADD COLUMN "shard" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stats_steps" ADD COLUMN "shard" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stats_daily" ADD CONSTRAINT "stats_daily_unit_day_procedure_id_shard_pk" PRIMARY KEY("unit","day","procedure_id","shard");--> statement-breakpoint
ALTER TABLE "stats_monthly" ADD CONSTRAINT "stats_monthly_unit_month_procedure_id_shard_pk" PRIMARY KEY("unit","month","procedure_id","shard");--> statement-breakpoint
ALTER TABLE "stats_steps" ADD CONSTRAINT "stats_steps_unit_day_procedure_id_step_shard_pk" PRIMARY KEY("unit","day","procedure_id","step","shard");
