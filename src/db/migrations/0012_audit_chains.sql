CREATE TABLE "audit_chain_heads" (
	"chain" text PRIMARY KEY NOT NULL,
	"chain_seq" bigint NOT NULL,
	"hash" text NOT NULL,
	"dirty" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_checkpoint_heads" (
	"checkpoint_seq" bigint NOT NULL,
	"chain" text NOT NULL,
	"chain_seq" bigint NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_checkpoint_heads_checkpoint_seq_chain_pk" PRIMARY KEY("checkpoint_seq","chain")
);
--> statement-breakpoint
CREATE TABLE "audit_checkpoints" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	"heads_digest" text NOT NULL,
	"chains" integer NOT NULL,
	"entries" bigint NOT NULL
);
--> statement-breakpoint
DROP INDEX "cases_type_status_idx";--> statement-breakpoint
DROP INDEX "cases_jurisdiction_idx";--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "chain" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "chain_seq" bigint;--> statement-breakpoint
-- Entries of the former single global chain become the closed chain '~legacy', in seq order (hashes unchanged).
UPDATE "audit_log" SET "chain" = '~legacy', "chain_seq" = "seq";--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "chain" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "chain_seq" SET NOT NULL;--> statement-breakpoint
-- Its head, so that the first checkpoint pins the legacy chain's end too.
INSERT INTO "audit_chain_heads" ("chain", "chain_seq", "hash", "dirty")
  SELECT '~legacy', "seq", "hash", true FROM "audit_log" ORDER BY "seq" DESC LIMIT 1;--> statement-breakpoint
CREATE INDEX "audit_chain_heads_dirty_idx" ON "audit_chain_heads" USING btree ("chain") WHERE "audit_chain_heads"."dirty";--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_chain_idx" ON "audit_log" USING btree ("chain","chain_seq");--> statement-breakpoint
CREATE INDEX "cases_requester_idx" ON "cases" USING btree ("requester_agency_id","received_at","case_id");--> statement-breakpoint
CREATE INDEX "cases_provider_idx" ON "cases" USING btree ("provider_agency_id","received_at","case_id");--> statement-breakpoint
CREATE INDEX "cases_created_by_idx" ON "cases" USING btree ("created_by","received_at","case_id");--> statement-breakpoint
CREATE INDEX "tasks_claimed_idx" ON "tasks" USING btree ("claimed_by","due_at","task_id") WHERE "tasks"."status" = 'open';--> statement-breakpoint
CREATE INDEX "cases_type_status_idx" ON "cases" USING btree ("type","status","received_at","case_id");--> statement-breakpoint
CREATE INDEX "cases_jurisdiction_idx" ON "cases" USING btree ("jurisdiction","received_at","case_id");