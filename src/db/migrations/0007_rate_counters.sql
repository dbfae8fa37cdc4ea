CREATE TABLE "rate_counters" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "rate_counters_scope_key_pk" PRIMARY KEY("scope","key")
);
--> statement-breakpoint
-- Counting must not wait for the WAL on every request; a crash only reopens the current windows.
ALTER TABLE "rate_counters" SET UNLOGGED;
