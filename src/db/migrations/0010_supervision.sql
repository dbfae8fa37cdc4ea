CREATE TABLE "case_evaluations" (
	"case_id" text PRIMARY KEY NOT NULL,
	"rating" integer NOT NULL,
	"comment" text,
	"principal_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "public_notices" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"case_type" text NOT NULL,
	"task_id" text NOT NULL,
	"agency_id" text,
	"jurisdiction" text NOT NULL,
	"reason" text NOT NULL,
	"ordered_by" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"citation" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "outcome_basis" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "working_days_to_decision" integer;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "overdue" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "next_due_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "public_notices_jurisdiction_idx" ON "public_notices" USING btree ("jurisdiction","issued_at");--> statement-breakpoint
-- Hand-edited INCLUDE (drizzle-kit does not model it): the columns the timeliness report reads,
-- so a period of a jurisdiction is counted from the index alone.
CREATE INDEX "cases_report_idx" ON "cases" USING btree ("jurisdiction","received_at") INCLUDE ("provider_agency_id","type","decided_at","outcome_basis","working_days_to_decision","overdue","next_due_at");--> statement-breakpoint
-- Hand-written: cases projected before these columns take them from their view (the decision's
-- instant is not in the view: its last update stands in; working days stay unknown).
UPDATE "cases" SET
  "outcome_basis" = "view"->'outcome'->>'basis',
  "overdue" = coalesce(("view"->>'overdue')::boolean, false),
  "decided_at" = CASE WHEN jsonb_typeof("view"->'outcome') = 'object' THEN "updated_at" END,
  "next_due_at" = (SELECT min((d->>'dueAt')::timestamptz) FROM jsonb_array_elements(CASE WHEN jsonb_typeof("view"->'deadlines') = 'array' THEN "view"->'deadlines' ELSE '[]'::jsonb END) AS d WHERE d->>'state' = 'running');