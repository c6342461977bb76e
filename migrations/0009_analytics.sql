CREATE TABLE `analytics_event_ids` (
	`owner_id` text NOT NULL,
	`event_id` text NOT NULL,
	`day` text NOT NULL,
	`type` text NOT NULL,
	`product_id` text,
	`query` text,
	`batch` text NOT NULL,
	PRIMARY KEY(`owner_id`, `event_id`)
);
--> statement-breakpoint
CREATE INDEX `analytics_event_ids_batch_idx` ON `analytics_event_ids` (`batch`);--> statement-breakpoint
CREATE INDEX `analytics_event_ids_day_idx` ON `analytics_event_ids` (`day`);--> statement-breakpoint
CREATE TABLE `product_daily_metrics` (
	`product_id` text NOT NULL,
	`day` text NOT NULL,
	`views` integer DEFAULT 0 NOT NULL,
	`add_to_carts` integer DEFAULT 0 NOT NULL,
	`removes_from_cart` integer DEFAULT 0 NOT NULL,
	`checkouts_started` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`product_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `search_daily_metrics` (
	`day` text NOT NULL,
	`query` text NOT NULL,
	`searches` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`day`, `query`)
);
