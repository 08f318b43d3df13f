CREATE TABLE "history_checkpointed" (
	"dossier_id" text PRIMARY KEY NOT NULL,
	"seq" integer NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "history_checkpoints" (
	"unit" text NOT NULL,
	"number" integer NOT NULL,
	"taken_at" timestamp with time zone NOT NULL,
	"heads" jsonb NOT NULL,
	"prev_signature" text NOT NULL,
	"key_id" text NOT NULL,
	"signature" text NOT NULL,
	CONSTRAINT "history_checkpoints_unit_number_pk" PRIMARY KEY("unit","number")
);
--> statement-breakpoint
ALTER TABLE "dossier_events" ADD COLUMN "chain" smallint DEFAULT 1 NOT NULL;