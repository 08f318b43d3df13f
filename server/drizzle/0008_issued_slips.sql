CREATE TABLE "dossier_slips" (
	"dossier_id" text NOT NULL,
	"kind" text NOT NULL,
	"event_seq" integer NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"data" jsonb NOT NULL,
	"sha256" text NOT NULL,
	"replaces_seq" integer,
	CONSTRAINT "dossier_slips_dossier_id_kind_event_seq_pk" PRIMARY KEY("dossier_id","kind","event_seq")
);
--> statement-breakpoint
ALTER TABLE "dossier_slips" ADD CONSTRAINT "dossier_slips_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE no action ON UPDATE no action;