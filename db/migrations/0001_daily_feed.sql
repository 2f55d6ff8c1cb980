CREATE TABLE `dailies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`date` text NOT NULL,
	`title` text NOT NULL,
	`keyword` text NOT NULL,
	`keyword_key` text NOT NULL,
	`teaser` text NOT NULL,
	`body` text NOT NULL,
	`min_rank` integer DEFAULT 0 NOT NULL,
	`state` text DEFAULT 'draft' NOT NULL,
	`publish_at` integer NOT NULL,
	`published_at` integer,
	`emailed_at` integer,
	`audio_id` text,
	`cover_id` text,
	`author_id` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`audio_id`) REFERENCES `media`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cover_id`) REFERENCES `media`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dailies_date_unique` ON `dailies` (`date`);--> statement-breakpoint
CREATE UNIQUE INDEX `dailies_published_keyword_unique` ON `dailies` (`keyword_key`) WHERE "dailies"."state" = 'published';--> statement-breakpoint
CREATE INDEX `dailies_state_publish_idx` ON `dailies` (`state`,`publish_at`);--> statement-breakpoint
CREATE TABLE `keyword_unlocks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`daily_id` integer NOT NULL,
	`day` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`daily_id`) REFERENCES `dailies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `keyword_unlocks_user_daily_unique` ON `keyword_unlocks` (`user_id`,`daily_id`);--> statement-breakpoint
CREATE INDEX `keyword_unlocks_user_day_idx` ON `keyword_unlocks` (`user_id`,`day`);--> statement-breakpoint
CREATE TABLE `media` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`mime_type` text NOT NULL,
	`bytes` integer NOT NULL,
	`duration_ms` integer,
	`path` text NOT NULL,
	`original_name` text DEFAULT '' NOT NULL,
	`uploaded_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `wechat_messages` (
	`msg_key` text PRIMARY KEY NOT NULL,
	`reply` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
ALTER TABLE `users` ADD `podcast_token` text;--> statement-breakpoint
CREATE UNIQUE INDEX `users_podcast_token_unique` ON `users` (`podcast_token`);