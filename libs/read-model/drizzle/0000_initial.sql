CREATE TABLE "accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"tier" text NOT NULL,
	"owner_id" text NOT NULL,
	"stage" text NOT NULL,
	"phase" text NOT NULL,
	"stage_entered_at" timestamp with time zone NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"cadence_days" integer,
	"effective_cadence_days" integer NOT NULL,
	"last_touchpoint_at" timestamp with time zone,
	"last_qualifying_touch_at" timestamp with time zone,
	"silent" boolean DEFAULT false NOT NULL,
	"silent_since" timestamp with time zone,
	"silence_deadline" timestamp with time zone,
	"touchpoint_count" integer DEFAULT 0 NOT NULL,
	"commitments_open" integer DEFAULT 0 NOT NULL,
	"commitments_missed" integer DEFAULT 0 NOT NULL,
	"commitments_fulfilled_on_time" integer DEFAULT 0 NOT NULL,
	"commitments_fulfilled_late" integer DEFAULT 0 NOT NULL,
	"commitments_cancelled" integer DEFAULT 0 NOT NULL,
	"next_commitment_due_at" timestamp with time zone,
	"health_score" integer NOT NULL,
	"health_band" text NOT NULL,
	"health_as_of" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commitments" (
	"account_id" text NOT NULL,
	"id" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"owner_id" text NOT NULL,
	"made_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"touchpoint_id" text,
	"status" text NOT NULL,
	"fulfilled_at" timestamp with time zone,
	"on_time" boolean,
	"missed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"renegotiations" integer DEFAULT 0 NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "commitments_pk" PRIMARY KEY("account_id","id")
);
--> statement-breakpoint
CREATE TABLE "projection_checkpoints" (
	"name" text PRIMARY KEY NOT NULL,
	"commit_position" numeric(20, 0) NOT NULL,
	"prepare_position" numeric(20, 0) NOT NULL,
	"events_applied" bigint NOT NULL,
	"last_event_recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stage_visits" (
	"account_id" text NOT NULL,
	"seq" integer NOT NULL,
	"stage" text NOT NULL,
	"from_stage" text,
	"entered_at" timestamp with time zone NOT NULL,
	"exited_at" timestamp with time zone,
	"reason" text,
	"lessons" text,
	CONSTRAINT "stage_visits_pk" PRIMARY KEY("account_id","seq")
);
--> statement-breakpoint
CREATE TABLE "timeline_entries" (
	"event_id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"revision" bigint NOT NULL,
	"data" jsonb NOT NULL,
	"touchpoint_id" text,
	"commitment_id" text,
	"channel" text,
	"pillar" text
);
--> statement-breakpoint
CREATE TABLE "touchpoints" (
	"account_id" text NOT NULL,
	"id" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"channel" text NOT NULL,
	"direction" text NOT NULL,
	"pillar" text NOT NULL,
	"sentiment" text,
	"moment_of_truth" boolean NOT NULL,
	"stage" text NOT NULL,
	"qualifying" boolean NOT NULL,
	"summary" text,
	"actor_id" text,
	"participants" jsonb NOT NULL,
	"source" text NOT NULL,
	"external_ref" text,
	CONSTRAINT "touchpoints_pk" PRIMARY KEY("account_id","id")
);
--> statement-breakpoint
CREATE INDEX "accounts_owner_idx" ON "accounts" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "accounts_stage_idx" ON "accounts" USING btree ("stage");--> statement-breakpoint
CREATE INDEX "accounts_tier_idx" ON "accounts" USING btree ("tier");--> statement-breakpoint
CREATE INDEX "accounts_name_sort_idx" ON "accounts" USING btree (lower("name"),"id");--> statement-breakpoint
CREATE INDEX "accounts_name_pattern_idx" ON "accounts" USING btree (lower("name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "accounts_health_idx" ON "accounts" USING btree ("health_score","id");--> statement-breakpoint
CREATE INDEX "accounts_last_touch_idx" ON "accounts" USING btree ("last_touchpoint_at","id");--> statement-breakpoint
CREATE INDEX "accounts_last_qualifying_touch_idx" ON "accounts" USING btree ("last_qualifying_touch_at","id");--> statement-breakpoint
CREATE INDEX "accounts_stage_entered_idx" ON "accounts" USING btree ("stage_entered_at","id");--> statement-breakpoint
CREATE INDEX "accounts_silence_deadline_idx" ON "accounts" USING btree ("silence_deadline") WHERE "accounts"."silence_deadline" is not null;--> statement-breakpoint
CREATE INDEX "accounts_next_commitment_due_idx" ON "accounts" USING btree ("next_commitment_due_at") WHERE "accounts"."next_commitment_due_at" is not null;--> statement-breakpoint
CREATE INDEX "commitments_open_due_idx" ON "commitments" USING btree ("due_at") WHERE "commitments"."status" = 'OPEN';--> statement-breakpoint
CREATE INDEX "commitments_account_resolved_idx" ON "commitments" USING btree ("account_id","resolved_at");--> statement-breakpoint
CREATE INDEX "stage_visits_entered_idx" ON "stage_visits" USING btree ("stage","entered_at");--> statement-breakpoint
CREATE INDEX "stage_visits_exited_idx" ON "stage_visits" USING btree ("stage","exited_at");--> statement-breakpoint
CREATE INDEX "stage_visits_lost_idx" ON "stage_visits" USING btree ("entered_at") WHERE "stage_visits"."stage" = 'LOST';--> statement-breakpoint
CREATE INDEX "timeline_entries_account_idx" ON "timeline_entries" USING btree ("account_id","occurred_at","revision");--> statement-breakpoint
CREATE INDEX "timeline_entries_account_recorded_idx" ON "timeline_entries" USING btree ("account_id","recorded_at");--> statement-breakpoint
CREATE INDEX "touchpoints_account_occurred_idx" ON "touchpoints" USING btree ("account_id","occurred_at");