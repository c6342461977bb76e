CREATE TABLE `deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`consumer` text NOT NULL,
	`event_id` text NOT NULL,
	`event_type` text NOT NULL,
	`correlation_id` text NOT NULL,
	`published_at` integer NOT NULL,
	`state` text NOT NULL,
	`resends` integer DEFAULT 0 NOT NULL,
	`last_resent_at` integer,
	`last_error` text,
	`heartbeat_at` integer,
	`checked_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `deliveries_consumer_idx` ON `deliveries` (`consumer`,`published_at`,`id`);--> statement-breakpoint
CREATE INDEX `deliveries_published_idx` ON `deliveries` (`published_at`,`id`);--> statement-breakpoint
CREATE INDEX `deliveries_event_idx` ON `deliveries` (`event_id`);--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `discarded_at` integer;--> statement-breakpoint
ALTER TABLE `outbox` ADD `settled_at` integer;--> statement-breakpoint
CREATE INDEX `outbox_unsettled_idx` ON `outbox` (`published_at`,`id`) WHERE settled_at IS NULL;--> statement-breakpoint
CREATE INDEX `outbox_subject_type_idx` ON `outbox` (`subject`,`type`);--> statement-breakpoint
CREATE INDEX `consumer_attempts_event_idx` ON `consumer_attempts` (`event_id`,`consumer`);--> statement-breakpoint
CREATE INDEX `orders_status_updated_idx` ON `orders` (`status`,`updated_at`);