ALTER TABLE "issued_documents" ADD COLUMN "holder_id" text;--> statement-breakpoint
ALTER TABLE "issued_documents" ADD COLUMN "paper_type" text;--> statement-breakpoint
CREATE INDEX "issued_documents_holder_idx" ON "issued_documents" USING btree ("holder_id") WHERE "issued_documents"."holder_id" is not null;--> statement-breakpoint
-- Results issued before the store read the register: their holder is the applicant's personal ID (as for results typed in documents).
UPDATE "issued_documents" SET "holder_id" = d."applicant_id" FROM "dossiers" d WHERE d."id" = "issued_documents"."dossier_id" AND "issued_documents"."kind" = 'result' AND d."applicant_id" ~ '^[0-9]{12}$';
