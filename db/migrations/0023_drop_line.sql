CREATE TABLE `drop_line_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`drop_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`drop_tier_id` integer NOT NULL,
	`position` integer NOT NULL,
	`joined_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`admitted_at` integer,
	`done_at` integer,
	`outcome` text,
	FOREIGN KEY (`drop_id`) REFERENCES `drops`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`drop_tier_id`) REFERENCES `drop_tiers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `drop_line_user_unique` ON `drop_line_entries` (`drop_id`,`user_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `drop_line_position_unique` ON `drop_line_entries` (`drop_id`,`position`);--> statement-breakpoint
CREATE INDEX `drop_line_open_idx` ON `drop_line_entries` (`drop_id`,`position`) WHERE "drop_line_entries"."done_at" IS NULL;--> statement-breakpoint
CREATE INDEX `drop_line_admitted_idx` ON `drop_line_entries` (`drop_id`,`admitted_at`);