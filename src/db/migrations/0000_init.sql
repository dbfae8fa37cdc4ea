CREATE TABLE "access_grants" (
	"id" text PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"dataset_id" text NOT NULL,
	"grantee_agency_id" text,
	"grantee_principal_id" text,
	"mode" text NOT NULL,
	"scope" jsonb NOT NULL,
	"basis" text NOT NULL,
	"citation" text NOT NULL,
	"status" text NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agencies" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"jurisdiction" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"event_key" text NOT NULL,
	"case_id" text,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"event" text NOT NULL,
	"detail" jsonb NOT NULL,
	"citation" text,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calendar_years" (
	"year" integer PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"holidays" text[] NOT NULL,
	"workdays" text[] NOT NULL,
	"loaded_by" text NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"case_id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"status" text NOT NULL,
	"jurisdiction" text NOT NULL,
	"requester_agency_id" text,
	"provider_agency_id" text,
	"dataset_id" text,
	"created_by" text NOT NULL,
	"revision" integer NOT NULL,
	"view" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"provider_agency_id" text NOT NULL,
	"jurisdiction" text NOT NULL,
	"share_class" text NOT NULL,
	"open_class" text NOT NULL,
	"legal_basis" text,
	"update_cycle" text,
	"fields" jsonb,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"principal_id" text NOT NULL,
	"key" text NOT NULL,
	"route" text NOT NULL,
	"body_hash" text NOT NULL,
	"case_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_principal_id_key_pk" PRIMARY KEY("principal_id","key")
);
--> statement-breakpoint
CREATE TABLE "policy_states" (
	"id" text PRIMARY KEY NOT NULL,
	"adopted" boolean NOT NULL,
	"effective_from" text,
	"effective_to" text,
	"version" integer NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "principals" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"agency_id" text,
	"roles" text[] NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_provider_agency_id_agencies_id_fk" FOREIGN KEY ("provider_agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "principals" ADD CONSTRAINT "principals_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_grants_case_idx" ON "access_grants" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "access_grants_dataset_idx" ON "access_grants" USING btree ("dataset_id");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_event_key_idx" ON "audit_log" USING btree ("event_key");--> statement-breakpoint
CREATE INDEX "audit_log_case_idx" ON "audit_log" USING btree ("case_id","seq");--> statement-breakpoint
CREATE INDEX "cases_received_idx" ON "cases" USING btree ("received_at","case_id");--> statement-breakpoint
CREATE INDEX "cases_type_status_idx" ON "cases" USING btree ("type","status");--> statement-breakpoint
CREATE INDEX "cases_jurisdiction_idx" ON "cases" USING btree ("jurisdiction");--> statement-breakpoint
CREATE INDEX "datasets_provider_idx" ON "datasets" USING btree ("provider_agency_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "principals_token_hash_idx" ON "principals" USING btree ("token_hash");