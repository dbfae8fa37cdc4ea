CREATE TABLE "agreements" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"dataset_id" text NOT NULL,
	"provider_agency_id" text NOT NULL,
	"applicant_principal_id" text NOT NULL,
	"template_version" text NOT NULL,
	"citation" text NOT NULL,
	"clauses" jsonb NOT NULL,
	"text" text NOT NULL,
	"sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "agreements_case_idx" ON "agreements" USING btree ("case_id");--> statement-breakpoint
-- Hand-written (drizzle-kit does not model triggers): a signed text is kept unchanged
-- (sz-open-2023:21), so rows are insert-only.
CREATE FUNCTION "agreements_insert_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'agreements are kept unchanged: % refused on agreement %', TG_OP, OLD.id;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "agreements_insert_only" BEFORE UPDATE OR DELETE ON "agreements" FOR EACH ROW EXECUTE FUNCTION "agreements_insert_only"();
