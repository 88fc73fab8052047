CREATE TABLE "alert_notifications" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"alert_id" text NOT NULL,
	"type" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "alert_notifications_event_id_key" UNIQUE("event_id")
);
--> statement-breakpoint
CREATE TABLE "alert_policy_accounts" (
	"account_id" text PRIMARY KEY NOT NULL,
	"tier" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_policy_alerts" (
	"alert_id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"kind" text NOT NULL,
	"subject" text,
	"since" timestamp with time zone NOT NULL,
	"open" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_policy_commitments" (
	"account_id" text NOT NULL,
	"commitment_id" text NOT NULL,
	"title" text NOT NULL,
	CONSTRAINT "alert_policy_commitments_pk" PRIMARY KEY("account_id","commitment_id")
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"alert_id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"kind" text NOT NULL,
	"severity" text NOT NULL,
	"status" text NOT NULL,
	"subject" text,
	"title" text NOT NULL,
	"detail" text,
	"cause" text NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" text,
	"acknowledge_note" text,
	"resolved_at" timestamp with time zone,
	"resolved_by" text,
	"resolution_kind" text,
	"resolution" text,
	"revision" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "alert_policy_alerts_open_idx" ON "alert_policy_alerts" USING btree ("account_id") WHERE "alert_policy_alerts"."open";--> statement-breakpoint
CREATE INDEX "alerts_raised_idx" ON "alerts" USING btree ("raised_at","alert_id");--> statement-breakpoint
CREATE INDEX "alerts_account_idx" ON "alerts" USING btree ("account_id","raised_at");--> statement-breakpoint
CREATE INDEX "alerts_account_open_idx" ON "alerts" USING btree ("account_id") WHERE "alerts"."status" <> 'RESOLVED';