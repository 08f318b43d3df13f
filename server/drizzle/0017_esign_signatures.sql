CREATE TABLE "issued_documents" (
	"id" text PRIMARY KEY NOT NULL,
	"dossier_id" text NOT NULL,
	"kind" text NOT NULL,
	"number" text NOT NULL,
	"title" text NOT NULL,
	"unit" text NOT NULL,
	"source" text NOT NULL,
	"sha256" text NOT NULL,
	"pdf" text NOT NULL,
	"signers" jsonb NOT NULL,
	"serials" text[] NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"issued_by" text NOT NULL,
	"event_seq" integer
);
--> statement-breakpoint
CREATE TABLE "result_drafts" (
	"dossier_id" text PRIMARY KEY NOT NULL,
	"pdf" text NOT NULL,
	"sha256" text NOT NULL,
	"uploaded_by" text NOT NULL,
	"uploaded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signing_keys" (
	"serial" text PRIMARY KEY NOT NULL,
	"holder_kind" text NOT NULL,
	"holder" text NOT NULL,
	"unit" text,
	"subject" text NOT NULL,
	"certificate" text NOT NULL,
	"private_key" text,
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "issued_documents" ADD CONSTRAINT "issued_documents_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_drafts" ADD CONSTRAINT "result_drafts_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "issued_documents_sha256_idx" ON "issued_documents" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "issued_documents_dossier_idx" ON "issued_documents" USING btree ("dossier_id");--> statement-breakpoint
CREATE INDEX "signing_keys_holder_idx" ON "signing_keys" USING btree ("holder_kind","holder");