-- The analytics tables as WITHOUT ROWID tables (drizzle-kit cannot declare it, hence a custom
-- migration; the columns and keys are unchanged). Each is keyed by a composite primary key, which an
-- ordinary table keeps as a rowid table plus an index: two b-tree entries, so two rows written per
-- insert in D1's billing. Clustered on the key, an insert writes one. See docs/BENCHMARKS.md, Costs.
CREATE TABLE `analytics_event_ids_clustered` (
	`owner_id` text NOT NULL,
	`event_id` text NOT NULL,
	`day` text NOT NULL,
	`type` text NOT NULL,
	`product_id` text,
	`query` text,
	`batch` text NOT NULL,
	PRIMARY KEY(`owner_id`, `event_id`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `analytics_event_ids_clustered` SELECT `owner_id`, `event_id`, `day`, `type`, `product_id`, `query`, `batch` FROM `analytics_event_ids`;
--> statement-breakpoint
DROP TABLE `analytics_event_ids`;
--> statement-breakpoint
ALTER TABLE `analytics_event_ids_clustered` RENAME TO `analytics_event_ids`;
--> statement-breakpoint
CREATE TABLE `product_daily_metrics_clustered` (
	`product_id` text NOT NULL,
	`day` text NOT NULL,
	`views` integer DEFAULT 0 NOT NULL,
	`add_to_carts` integer DEFAULT 0 NOT NULL,
	`removes_from_cart` integer DEFAULT 0 NOT NULL,
	`checkouts_started` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`product_id`, `day`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `product_daily_metrics_clustered` SELECT `product_id`, `day`, `views`, `add_to_carts`, `removes_from_cart`, `checkouts_started`, `updated_at` FROM `product_daily_metrics`;
--> statement-breakpoint
DROP TABLE `product_daily_metrics`;
--> statement-breakpoint
ALTER TABLE `product_daily_metrics_clustered` RENAME TO `product_daily_metrics`;
--> statement-breakpoint
CREATE TABLE `search_daily_metrics_clustered` (
	`day` text NOT NULL,
	`query` text NOT NULL,
	`searches` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`day`, `query`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `search_daily_metrics_clustered` SELECT `day`, `query`, `searches`, `updated_at` FROM `search_daily_metrics`;
--> statement-breakpoint
DROP TABLE `search_daily_metrics`;
--> statement-breakpoint
ALTER TABLE `search_daily_metrics_clustered` RENAME TO `search_daily_metrics`;
