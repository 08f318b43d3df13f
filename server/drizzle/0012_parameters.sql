CREATE TABLE "parameters" (
	"id" text PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"scope" text NOT NULL,
	"value" double precision NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"note" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "parameters_key_scope_from_idx" ON "parameters" USING btree ("key","scope","effective_from");