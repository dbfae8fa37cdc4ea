CREATE TABLE "dataset_versions" (
	"dataset_id" text NOT NULL,
	"version" integer NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"case_id" text,
	"entry" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "dataset_versions_dataset_id_version_pk" PRIMARY KEY("dataset_id","version")
);
--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "content" text;--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "source" text;--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "format" text;--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "data_items" jsonb;--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "withdrawn" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "withdrawn_citation" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "context" jsonb;--> statement-breakpoint
CREATE UNIQUE INDEX "dataset_versions_case_idx" ON "dataset_versions" USING btree ("case_id","dataset_id");--> statement-breakpoint
-- Hand-written (drizzle-kit does not model triggers): a published version is never changed; the
-- chain (cm-draft:9 上链存证) can only grow.
CREATE FUNCTION "dataset_versions_insert_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'dataset versions are insert-only (cm-draft:9)';
END $$;--> statement-breakpoint
CREATE TRIGGER "dataset_versions_insert_only" BEFORE UPDATE OR DELETE ON "dataset_versions" FOR EACH ROW EXECUTE FUNCTION "dataset_versions_insert_only"();--> statement-breakpoint
-- 一数一源 (sip-2021:8): which published dataset holds a data item's code as authoritative.
CREATE INDEX "datasets_data_items_idx" ON "datasets" USING gin ("data_items" jsonb_path_ops);
