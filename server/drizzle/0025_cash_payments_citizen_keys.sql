ALTER TABLE "payments" ADD COLUMN "method" text DEFAULT 'online' NOT NULL;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "recorded_by" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "recorded_by_name" text;--> statement-breakpoint
-- A citizen's Idempotency-Key (or draft id) is theirs alone (server/src/online/service.ts): the answers and submissions stored before move under their owner, so a retry still answers its own citizen's dossier and another citizen may use the same key.
UPDATE "idempotency_keys" k SET "user_id" = 'online:citizen:' || s."personal_id" FROM "online_submissions" s WHERE k."user_id" = 'online:citizen' AND s."source" = 'citizen' AND s."external_id" = k."key";--> statement-breakpoint
UPDATE "online_submissions" SET "external_id" = "personal_id" || ':' || "external_id" WHERE "source" = 'citizen';
