ALTER TABLE "stage_visits" ADD COLUMN "to_stage" text;--> statement-breakpoint
-- Visits exited before this column existed: the stage they exited to is the next visit's.
UPDATE "stage_visits" SET "to_stage" = "next"."stage"
FROM "stage_visits" AS "next"
WHERE "next"."account_id" = "stage_visits"."account_id" AND "next"."seq" = "stage_visits"."seq" + 1;
