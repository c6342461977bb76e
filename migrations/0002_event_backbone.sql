CREATE TABLE `alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`rule` text NOT NULL,
	`metric` text NOT NULL,
	`value` integer NOT NULL,
	`threshold` integer NOT NULL,
	`message` text NOT NULL,
	`state` text NOT NULL,
	`raised_at` integer NOT NULL,
	`resolved_at` integer
);
--> statement-breakpoint
CREATE INDEX `alerts_state_idx` ON `alerts` (`state`,`raised_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_one_firing_per_rule_idx` ON `alerts` (`rule`) WHERE state = 'firing';--> statement-breakpoint
CREATE TABLE `consumer_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` text NOT NULL,
	`event_type` text NOT NULL,
	`consumer` text NOT NULL,
	`attempt` integer NOT NULL,
	`outcome` text NOT NULL,
	`correlation_id` text NOT NULL,
	`started_at` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`lag_ms` integer NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `consumer_attempts_correlation_idx` ON `consumer_attempts` (`correlation_id`);--> statement-breakpoint
CREATE INDEX `consumer_attempts_started_idx` ON `consumer_attempts` (`started_at`);--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`origin_queue` text NOT NULL,
	`consumer` text NOT NULL,
	`event_id` text NOT NULL,
	`event_type` text NOT NULL,
	`envelope` text NOT NULL,
	`last_error` text NOT NULL,
	`attempts` integer NOT NULL,
	`first_failed_at` integer NOT NULL,
	`last_failed_at` integer NOT NULL,
	`size_bytes` integer NOT NULL,
	`status` text NOT NULL,
	`redriven_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dead_letters_consumer_event_idx` ON `dead_letters` (`consumer`,`event_id`);--> statement-breakpoint
CREATE INDEX `dead_letters_status_idx` ON `dead_letters` (`status`,`first_failed_at`);--> statement-breakpoint
CREATE TABLE `mailbox` (
	`id` text PRIMARY KEY NOT NULL,
	`to` text NOT NULL,
	`subject` text NOT NULL,
	`text` text NOT NULL,
	`html` text NOT NULL,
	`template` text NOT NULL,
	`event_id` text NOT NULL,
	`sent_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `mailbox_sent_idx` ON `mailbox` (`sent_at`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`subject` text NOT NULL,
	`correlation_id` text NOT NULL,
	`envelope` text NOT NULL,
	`created_at` integer NOT NULL,
	`published_at` integer,
	`publish_attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text
);
--> statement-breakpoint
CREATE INDEX `outbox_unpublished_idx` ON `outbox` (`created_at`) WHERE published_at IS NULL;--> statement-breakpoint
CREATE INDEX `outbox_published_idx` ON `outbox` (`published_at`);--> statement-breakpoint
CREATE INDEX `outbox_correlation_idx` ON `outbox` (`correlation_id`);--> statement-breakpoint
CREATE TABLE `processed_events` (
	`consumer` text NOT NULL,
	`event_id` text NOT NULL,
	`processed_at` integer NOT NULL,
	PRIMARY KEY(`consumer`, `event_id`)
);
--> statement-breakpoint
CREATE INDEX `processed_events_at_idx` ON `processed_events` (`processed_at`);--> statement-breakpoint
CREATE TABLE `request_records` (
	`request_id` text PRIMARY KEY NOT NULL,
	`method` text NOT NULL,
	`path` text NOT NULL,
	`user_id` text,
	`trace_id` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `signup_stats_daily` (
	`day` text NOT NULL,
	`role` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`day`, `role`)
);
