CREATE TABLE `merchant_orders` (
	`order_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`status` text NOT NULL,
	`lines` text NOT NULL,
	`subtotal_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`version` integer NOT NULL,
	`placed_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`order_id`, `merchant_id`)
);
--> statement-breakpoint
CREATE INDEX `merchant_orders_placed_idx` ON `merchant_orders` (`merchant_id`,`placed_at`,`order_id`);--> statement-breakpoint
CREATE INDEX `merchant_orders_status_idx` ON `merchant_orders` (`merchant_id`,`status`,`placed_at`,`order_id`);