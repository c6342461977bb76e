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
	`status` text NOT NULL,
	`rows` integer,
	`chunk_count` integer,
	`chunks_applied` integer DEFAULT 0 NOT NULL,
	`upserted` integer DEFAULT 0 NOT NULL,
	`rejected` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `catalog_imports_merchant_hash_idx` ON `catalog_imports` (`merchant_id`,`content_hash`);