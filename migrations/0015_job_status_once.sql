ALTER TABLE `reports` DROP COLUMN `status`;--> statement-breakpoint
ALTER TABLE `catalog_imports` DROP COLUMN `status`;