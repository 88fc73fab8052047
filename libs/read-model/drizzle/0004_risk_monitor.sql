CREATE TABLE "health_watch" (
	"account_id" text PRIMARY KEY NOT NULL,
	"band" text NOT NULL,
	"score" integer NOT NULL,
	"evaluated_at" timestamp with time zone NOT NULL,
	"review_at" timestamp with time zone,
	"drops" integer DEFAULT 0 NOT NULL,
	"alert_id" text
);
--> statement-breakpoint
CREATE TABLE "monitor_positions" (
	"name" text PRIMARY KEY NOT NULL,
	"position" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_cursors" (
	"url" text PRIMARY KEY NOT NULL,
	"delivered_seq" bigint NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"last_error" text,
	"last_error_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "alert_policy_commitments" ADD COLUMN "status" text;--> statement-breakpoint
ALTER TABLE "alert_policy_commitments" ADD COLUMN "due_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "health_watch_review_idx" ON "health_watch" USING btree ("review_at") WHERE "health_watch"."review_at" is not null;--> statement-breakpoint
CREATE INDEX "account_versions_valid_from_idx" ON "account_versions" USING btree ("valid_from");--> statement-breakpoint
CREATE INDEX "alerts_open_kind_idx" ON "alerts" USING btree ("kind","raised_at") WHERE "alerts"."status" <> 'RESOLVED';