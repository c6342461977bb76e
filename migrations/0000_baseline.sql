CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`key_hash` text NOT NULL,
	`scopes` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_user_idx` ON `api_keys` (`user_id`);--> statement-breakpoint
CREATE TABLE `login_lockouts` (
	`key` text PRIMARY KEY NOT NULL,
	`until` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `signup_stats_daily` (
	`day` text NOT NULL,
	`role` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`day`, `role`)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
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
--> statement-breakpoint
CREATE TABLE `catalog_import_chunks` (
	`import_id` text NOT NULL,
	`chunk` integer NOT NULL,
	`upserted` integer NOT NULL,
	`rejected` integer NOT NULL,
	`applied_at` integer NOT NULL,
	PRIMARY KEY(`import_id`, `chunk`)
);
--> statement-breakpoint
CREATE TABLE `catalog_import_errors` (
	`import_id` text NOT NULL,
	`line` integer NOT NULL,
	`reason` text NOT NULL,
	PRIMARY KEY(`import_id`, `line`)
);
--> statement-breakpoint
CREATE TABLE `catalog_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`content_hash` text NOT NULL,
	`format` text NOT NULL,
	`bytes` integer NOT NULL,
	`object_key` text NOT NULL,
	`rows` integer,
	`chunk_count` integer,
	`chunks_applied` integer DEFAULT 0 NOT NULL,
	`upserted` integer DEFAULT 0 NOT NULL,
	`rejected` integer DEFAULT 0 NOT NULL,
	`ignored_columns` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `catalog_imports_merchant_hash_idx` ON `catalog_imports` (`merchant_id`,`content_hash`);--> statement-breakpoint
CREATE TABLE `products` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`sku` text NOT NULL,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`category` text NOT NULL,
	`price_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`stock` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`merchant_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `products_id_unique` ON `products` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `products_merchant_sku_idx` ON `products` (`merchant_id`,`sku`);--> statement-breakpoint
CREATE INDEX `products_category_price_idx` ON `products` (`category`,`price_minor`,`seq`);--> statement-breakpoint
CREATE INDEX `products_category_created_idx` ON `products` (`category`,`created_at`,`seq`);--> statement-breakpoint
CREATE INDEX `products_price_idx` ON `products` (`price_minor`,`seq`);--> statement-breakpoint
CREATE INDEX `products_created_idx` ON `products` (`created_at`,`seq`);--> statement-breakpoint
CREATE TABLE `promotions` (
	`code` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`value` integer NOT NULL,
	`min_subtotal_minor` integer DEFAULT 0 NOT NULL,
	`category` text,
	`starts_at` integer NOT NULL,
	`expires_at` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `inventory_reservations` (
	`order_id` text NOT NULL,
	`product_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`state` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`order_id`, `product_id`)
);
--> statement-breakpoint
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
CREATE INDEX `merchant_orders_status_idx` ON `merchant_orders` (`merchant_id`,`status`,`placed_at`,`order_id`);--> statement-breakpoint
CREATE TABLE `order_views` (
	`id` text PRIMARY KEY NOT NULL,
	`buyer_id` text NOT NULL,
	`status` text NOT NULL,
	`status_message` text NOT NULL,
	`total_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`item_count` integer NOT NULL,
	`version` integer NOT NULL,
	`placed_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `order_views_buyer_idx` ON `order_views` (`buyer_id`,`placed_at`,`id`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`buyer_id` text NOT NULL,
	`quote_id` text NOT NULL,
	`payment_method` text NOT NULL,
	`lines` text NOT NULL,
	`merchant_ids` text NOT NULL,
	`subtotal_minor` integer NOT NULL,
	`discount_minor` integer NOT NULL,
	`shipping_minor` integer NOT NULL,
	`tax_minor` integer NOT NULL,
	`total_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`status` text NOT NULL,
	`status_message` text NOT NULL,
	`version` integer NOT NULL,
	`cancel_reason` text,
	`steps` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_quote_id_unique` ON `orders` (`quote_id`);--> statement-breakpoint
CREATE INDEX `orders_buyer_idx` ON `orders` (`buyer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `orders_status_updated_idx` ON `orders` (`status`,`updated_at`);--> statement-breakpoint
CREATE TABLE `gameday_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`scenario` text NOT NULL,
	`verdict` text NOT NULL,
	`hypothesis` text NOT NULL,
	`checks_held` integer NOT NULL,
	`checks_total` integer NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer NOT NULL,
	`summary` text NOT NULL,
	`markdown` text NOT NULL,
	`report_path` text NOT NULL,
	`recorded_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `gameday_runs_started_idx` ON `gameday_runs` (`started_at`,`id`);--> statement-breakpoint
CREATE INDEX `gameday_runs_scenario_idx` ON `gameday_runs` (`scenario`,`started_at`,`id`);--> statement-breakpoint
CREATE INDEX `gameday_runs_verdict_idx` ON `gameday_runs` (`verdict`,`started_at`,`id`);--> statement-breakpoint
CREATE TABLE `quotes` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`currency` text NOT NULL,
	`ship_to_country` text NOT NULL,
	`promo_code` text,
	`lines` text NOT NULL,
	`subtotal_minor` integer NOT NULL,
	`discount_minor` integer NOT NULL,
	`shipping_minor` integer NOT NULL,
	`tax_minor` integer NOT NULL,
	`total_minor` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `quotes_user_idx` ON `quotes` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `reports` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text NOT NULL,
	`type` text NOT NULL,
	`from_day` text NOT NULL,
	`to_day` text NOT NULL,
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
CREATE INDEX `sales_lines_merchant_product_idx` ON `sales_lines` (`merchant_id`,`product_id`,`confirmed_at`);--> statement-breakpoint
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
CREATE INDEX `settlements_period_idx` ON `settlements` (`period_start`);--> statement-breakpoint
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
CREATE INDEX `consumer_attempts_event_idx` ON `consumer_attempts` (`event_id`,`consumer`);--> statement-breakpoint
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
	`redriven_at` integer,
	`discarded_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dead_letters_consumer_event_idx` ON `dead_letters` (`consumer`,`event_id`);--> statement-breakpoint
CREATE INDEX `dead_letters_status_idx` ON `dead_letters` (`status`,`first_failed_at`);--> statement-breakpoint
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
CREATE TABLE `metric_rollups` (
	`family` text NOT NULL,
	`labels` text NOT NULL,
	`value` integer NOT NULL,
	PRIMARY KEY(`family`, `labels`)
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`subject` text NOT NULL,
	`correlation_id` text NOT NULL,
	`envelope` text NOT NULL,
	`created_at` integer NOT NULL,
	`published_at` integer,
	`publish_attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`settled_at` integer
);
--> statement-breakpoint
CREATE INDEX `outbox_unpublished_idx` ON `outbox` (`created_at`) WHERE published_at IS NULL;--> statement-breakpoint
CREATE INDEX `outbox_unsettled_idx` ON `outbox` (`published_at`,`id`) WHERE settled_at IS NULL;--> statement-breakpoint
CREATE INDEX `outbox_published_idx` ON `outbox` (`published_at`);--> statement-breakpoint
CREATE INDEX `outbox_correlation_idx` ON `outbox` (`correlation_id`);--> statement-breakpoint
CREATE INDEX `outbox_subject_type_idx` ON `outbox` (`subject`,`type`);--> statement-breakpoint
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
CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text NOT NULL,
	`type` text NOT NULL,
	`status` text NOT NULL,
	`processed` integer DEFAULT 0 NOT NULL,
	`total` integer,
	`failed` integer DEFAULT 0 NOT NULL,
	`result` text,
	`error` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `jobs_owner_idx` ON `jobs` (`owner_id`,`created_at`);
--> statement-breakpoint
-- Hand-written below: drizzle-kit cannot express FTS5 virtual tables or triggers, so `npm run
-- db:generate` never writes these. Keep them when regenerating a baseline.
-- An external-content FTS5 index over products, kept in sync by triggers so that every
-- write path (API, imports, seeding) makes a product searchable in the same statement.
CREATE VIRTUAL TABLE `products_fts` USING fts5(
	title,
	description,
	category,
	content='products',
	content_rowid='seq',
	tokenize='porter unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_insert` AFTER INSERT ON `products` BEGIN
	INSERT INTO products_fts(rowid, title, description, category)
	VALUES (new.seq, new.title, new.description, new.category);
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_delete` AFTER DELETE ON `products` BEGIN
	INSERT INTO products_fts(products_fts, rowid, title, description, category)
	VALUES ('delete', old.seq, old.title, old.description, old.category);
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_update` AFTER UPDATE OF title, description, category ON `products` BEGIN
	INSERT INTO products_fts(products_fts, rowid, title, description, category)
	VALUES ('delete', old.seq, old.title, old.description, old.category);
	INSERT INTO products_fts(rowid, title, description, category)
	VALUES (new.seq, new.title, new.description, new.category);
END;
--> statement-breakpoint
-- Stock can never go below zero. Reserving inventory decrements stock inside the saga's D1 batch; when
-- two orders race for the last unit, the second decrement aborts its whole batch, so exactly one wins.
CREATE TRIGGER `products_stock_never_negative` BEFORE UPDATE OF stock ON `products`
WHEN NEW.stock < 0 BEGIN
	SELECT RAISE(ABORT, 'insufficient_stock');
END;
