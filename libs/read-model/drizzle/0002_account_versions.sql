CREATE TABLE "account_versions" (
	"account_id" text NOT NULL,
	"valid_from" bigint NOT NULL,
	"valid_to" bigint,
	"name" text NOT NULL,
	"tier" text NOT NULL,
	"owner_id" text NOT NULL,
	"stage" text NOT NULL,
	"stage_entered_at" timestamp with time zone NOT NULL,
	"last_touchpoint_at" timestamp with time zone,
	"silent" boolean NOT NULL,
	"next_commitment_due_at" timestamp with time zone,
	"health_score" integer NOT NULL,
	"health_band" text NOT NULL,
	CONSTRAINT "account_versions_pk" PRIMARY KEY("account_id","valid_from")
);
--> statement-breakpoint
CREATE INDEX "account_versions_current_idx" ON "account_versions" USING btree ("account_id") WHERE "account_versions"."valid_to" is null;--> statement-breakpoint
CREATE INDEX "account_versions_valid_to_idx" ON "account_versions" USING btree ("valid_to");--> statement-breakpoint
-- Accounts projected before versions existed start with one current version each.
INSERT INTO "account_versions" ("account_id", "valid_from", "valid_to", "name", "tier", "owner_id", "stage", "stage_entered_at", "last_touchpoint_at", "silent", "next_commitment_due_at", "health_score", "health_band")
SELECT "id", coalesce((SELECT "events_applied" FROM "projection_checkpoints" WHERE "name" = 'account-read-model'), 0), NULL, "name", "tier", "owner_id", "stage", "stage_entered_at", "last_touchpoint_at", "silent", "next_commitment_due_at", "health_score", "health_band" FROM "accounts";
