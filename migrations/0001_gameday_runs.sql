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
CREATE INDEX `gameday_runs_verdict_idx` ON `gameday_runs` (`verdict`,`started_at`,`id`);