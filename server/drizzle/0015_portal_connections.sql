CREATE TABLE "portal_connections" (
	"subscription_id" text PRIMARY KEY NOT NULL,
	"province" text NOT NULL,
	"username" text NOT NULL,
	"agency_code" text NOT NULL,
	"token_url" text NOT NULL,
	"progress_url" text NOT NULL,
	"query_url" text NOT NULL,
	"batch_size" integer DEFAULT 50 NOT NULL,
	"inbound_token_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "portal_inbound" (
	"portal_id" text PRIMARY KEY NOT NULL,
	"dossier_id" text NOT NULL,
	"procedure_code" text NOT NULL,
	"unit" text NOT NULL,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "portal_status_tables" (
	"province" text PRIMARY KEY NOT NULL,
	"codes" jsonb NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "portal_connections" ADD CONSTRAINT "portal_connections_subscription_id_webhook_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."webhook_subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "portal_inbound_dossier_idx" ON "portal_inbound" USING btree ("dossier_id");