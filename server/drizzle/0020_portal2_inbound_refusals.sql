CREATE TABLE "portal_inbound_refusals" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"subscription_id" text NOT NULL,
	"portal_id" text NOT NULL,
	"unit" text,
	"procedure_code" text,
	"status" integer NOT NULL,
	"error" jsonb NOT NULL,
	"payload" jsonb NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "portal_inbound_refusals" ADD CONSTRAINT "portal_inbound_refusals_subscription_id_webhook_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."webhook_subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "portal_inbound_refusals_key" ON "portal_inbound_refusals" USING btree ("subscription_id","portal_id");--> statement-breakpoint
CREATE INDEX "portal_inbound_refusals_last_idx" ON "portal_inbound_refusals" USING btree ("last_at");