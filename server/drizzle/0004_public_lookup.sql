CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"points" integer NOT NULL,
	"expire" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "dossiers" ADD COLUMN "lookup_token" text DEFAULT replace(gen_random_uuid()::text, '-', '') NOT NULL;