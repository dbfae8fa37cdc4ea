CREATE TABLE "case_documents" (
	"case_id" text NOT NULL,
	"sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_documents_case_id_sha256_pk" PRIMARY KEY("case_id","sha256")
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"sha256" text PRIMARY KEY NOT NULL,
	"content" jsonb NOT NULL,
	"bytes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "access_grants" ADD COLUMN "revision" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "needs_attention" jsonb;--> statement-breakpoint
ALTER TABLE "case_documents" ADD CONSTRAINT "case_documents_sha256_documents_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."documents"("sha256") ON DELETE no action ON UPDATE no action;