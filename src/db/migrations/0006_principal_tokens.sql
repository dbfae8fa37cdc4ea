CREATE TABLE "principal_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"principal_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" text
);
--> statement-breakpoint
DROP INDEX "principals_token_hash_idx";--> statement-breakpoint
ALTER TABLE "principal_tokens" ADD CONSTRAINT "principal_tokens_principal_id_principals_id_fk" FOREIGN KEY ("principal_id") REFERENCES "public"."principals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "principal_tokens_hash_idx" ON "principal_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "principal_tokens_principal_idx" ON "principal_tokens" USING btree ("principal_id");--> statement-breakpoint
CREATE INDEX "principals_agency_idx" ON "principals" USING btree ("agency_id","created_at","id");--> statement-breakpoint
-- Each principal's one token so far becomes its first row here, before the column goes.
INSERT INTO "principal_tokens" ("id", "principal_id", "token_hash", "created_by", "created_at")
SELECT 'tok-' || "id", "id", "token_hash", 'migration 0006', "created_at" FROM "principals";--> statement-breakpoint
ALTER TABLE "principals" DROP COLUMN "token_hash";