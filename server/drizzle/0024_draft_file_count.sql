ALTER TABLE "online_drafts" ADD COLUMN "file_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "online_drafts" d SET "file_count" = (SELECT count(*) FROM "online_draft_files" f WHERE f."draft_id" = d."id");
