CREATE TABLE `reports` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text NOT NULL,
	`type` text NOT NULL,
	`from_day` text NOT NULL,
	`to_day` text NOT NULL,
	`status` text NOT NULL,
	`object_key` text NOT NULL,
	`rows` integer,
	`bytes` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`ready_at` integer
);
--> statement-breakpoint
CREATE INDEX `reports_owner_idx` ON `reports` (`owner_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `sales_lines` (
	`order_id` text NOT NULL,
	`line_no` integer NOT NULL,
	`merchant_id` text NOT NULL,
	`product_id` text NOT NULL,
	`sku` text,
	`title` text NOT NULL,
	`quantity` integer NOT NULL,
	`unit_price_minor` integer NOT NULL,
	`amount_minor` integer NOT NULL,
	`discount_minor` integer NOT NULL,
	`tax_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`confirmed_at` integer NOT NULL,
	`refunded_at` integer,
	`status` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`order_id`, `line_no`)
);
--> statement-breakpoint
CREATE INDEX `sales_lines_merchant_confirmed_idx` ON `sales_lines` (`merchant_id`,`confirmed_at`,`order_id`,`line_no`);--> statement-breakpoint
CREATE INDEX `sales_lines_merchant_product_idx` ON `sales_lines` (`merchant_id`,`product_id`,`confirmed_at`);