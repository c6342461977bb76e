CREATE TABLE `settlement_entries` (
	`order_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`kind` text NOT NULL,
	`currency` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`occurred_at` integer NOT NULL,
	`event_id` text NOT NULL,
	`settlement_id` text,
	`recorded_at` integer NOT NULL,
	PRIMARY KEY(`order_id`, `merchant_id`, `kind`)
);
--> statement-breakpoint
CREATE INDEX `settlement_entries_unsettled_idx` ON `settlement_entries` (`merchant_id`,`currency`,`occurred_at`) WHERE settlement_id IS NULL;--> statement-breakpoint
CREATE INDEX `settlement_entries_settlement_idx` ON `settlement_entries` (`settlement_id`);--> statement-breakpoint
CREATE TABLE `settlement_ledger_lines` (
	`settlement_id` text NOT NULL,
	`line_no` integer NOT NULL,
	`account` text NOT NULL,
	`debit_minor` integer NOT NULL,
	`credit_minor` integer NOT NULL,
	`description` text NOT NULL,
	PRIMARY KEY(`settlement_id`, `line_no`)
);
--> statement-breakpoint
CREATE TABLE `settlements` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`period_start` integer NOT NULL,
	`period_end` integer NOT NULL,
	`currency` text NOT NULL,
	`status` text NOT NULL,
	`gross_sales_minor` integer,
	`fees_minor` integer,
	`refunds_minor` integer,
	`payout_minor` integer,
	`payout_id` text,
	`statement_key` text,
	`failure` text,
	`created_at` integer NOT NULL,
	`settled_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `settlements_merchant_period_uq` ON `settlements` (`merchant_id`,`period_start`,`currency`);--> statement-breakpoint
CREATE INDEX `settlements_period_idx` ON `settlements` (`period_start`);