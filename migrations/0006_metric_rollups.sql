CREATE TABLE `metric_rollups` (
	`family` text NOT NULL,
	`labels` text NOT NULL,
	`value` integer NOT NULL,
	PRIMARY KEY(`family`, `labels`)
);
