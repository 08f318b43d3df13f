ALTER TABLE "outbox" ADD COLUMN "announced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "dossier_id" text;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "claimed_by" text;--> statement-breakpoint
CREATE INDEX "outbox_unannounced_idx" ON "outbox" USING btree ("id") WHERE "outbox"."announced_at" is null and "outbox"."topic" = 'dossier.progress';--> statement-breakpoint
CREATE INDEX "deliveries_order_idx" ON "webhook_deliveries" USING btree ("subscription_id","dossier_id","outbox_id") WHERE "webhook_deliveries"."status" = 'pending';--> statement-breakpoint
-- Backfill: each delivery's dossier (for the per-dossier order), and every change made so far counts as announced.
UPDATE "webhook_deliveries" SET "dossier_id" = "outbox"."dossier_id" FROM "outbox" WHERE "outbox"."id" = "webhook_deliveries"."outbox_id";--> statement-breakpoint
UPDATE "outbox" SET "announced_at" = "created_at";
