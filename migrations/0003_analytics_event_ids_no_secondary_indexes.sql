DROP INDEX `analytics_event_ids_batch_idx`;--> statement-breakpoint
DROP INDEX `analytics_event_ids_day_idx`;