CREATE TABLE "citizens" (
	"personal_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"phone" text,
	"token_version" integer DEFAULT 0 NOT NULL,
	"last_sign_in_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "officer_identities" (
	"personal_id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"linked_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "online_draft_files" (
	"id" text PRIMARY KEY NOT NULL,
	"draft_id" text NOT NULL,
	"paper" text NOT NULL,
	"name" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "online_drafts" (
	"id" text PRIMARY KEY NOT NULL,
	"personal_id" text NOT NULL,
	"procedure_id" text NOT NULL,
	"data" jsonb NOT NULL,
	"receiving_unit" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "online_submissions" (
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"personal_id" text NOT NULL,
	"dossier_id" text NOT NULL,
	"request_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "online_submissions_source_external_id_pk" PRIMARY KEY("source","external_id")
);
--> statement-breakpoint
ALTER TABLE "officer_identities" ADD CONSTRAINT "officer_identities_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "online_draft_files" ADD CONSTRAINT "online_draft_files_draft_id_online_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."online_drafts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "online_submissions" ADD CONSTRAINT "online_submissions_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "officer_identities_user_idx" ON "officer_identities" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "online_draft_files_draft_idx" ON "online_draft_files" USING btree ("draft_id");--> statement-breakpoint
CREATE INDEX "online_draft_files_key_idx" ON "online_draft_files" USING btree ("storage_key");--> statement-breakpoint
CREATE INDEX "online_drafts_person_idx" ON "online_drafts" USING btree ("personal_id");--> statement-breakpoint
CREATE INDEX "online_drafts_expires_idx" ON "online_drafts" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "online_submissions_person_idx" ON "online_submissions" USING btree ("personal_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "online_submissions_dossier_idx" ON "online_submissions" USING btree ("dossier_id");