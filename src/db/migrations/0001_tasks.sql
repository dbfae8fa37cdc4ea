CREATE TABLE "tasks" (
	"task_id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"case_type" text NOT NULL,
	"kind" text NOT NULL,
	"assignee_agency_id" text,
	"assignee_role" text NOT NULL,
	"assignee_jurisdiction" text NOT NULL,
	"status" text NOT NULL,
	"actions" text[] NOT NULL,
	"required_fields" jsonb NOT NULL,
	"citation" text NOT NULL,
	"due_date" text,
	"due_at" timestamp with time zone,
	"remind_at" timestamp with time zone,
	"provisional" boolean DEFAULT false NOT NULL,
	"on_missed" text,
	"escalated" boolean DEFAULT false NOT NULL,
	"claimed_by" text,
	"revision" integer NOT NULL,
	"outcome" jsonb,
	"opened_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "tasks_agency_inbox_idx" ON "tasks" USING btree ("status","assignee_agency_id","assignee_role","due_at","task_id");--> statement-breakpoint
CREATE INDEX "tasks_department_inbox_idx" ON "tasks" USING btree ("status","assignee_jurisdiction","assignee_role","due_at","task_id");--> statement-breakpoint
CREATE INDEX "tasks_case_idx" ON "tasks" USING btree ("case_id");