CREATE TABLE `daily_comment_likes` (
	`comment_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`comment_id`, `user_id`),
	FOREIGN KEY (`comment_id`) REFERENCES `daily_comments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `daily_comments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`daily_id` integer NOT NULL,
	`author_id` integer NOT NULL,
	`body` text NOT NULL,
	`featured_at` integer,
	`featured_order` integer,
	`like_count` integer DEFAULT 0 NOT NULL,
	`editor_reply` text,
	`editor_reply_by` integer,
	`editor_reply_at` integer,
	`reviewed_at` integer,
	`hidden_at` integer,
	`hidden_reason` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`daily_id`) REFERENCES `dailies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`editor_reply_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "daily_comments_featured_has_order" CHECK(("daily_comments"."featured_at" is null) = ("daily_comments"."featured_order" is null)),
	CONSTRAINT "daily_comments_hidden_not_featured" CHECK("daily_comments"."hidden_at" is null or "daily_comments"."featured_at" is null)
);
--> statement-breakpoint
CREATE INDEX `daily_comments_featured_idx` ON `daily_comments` (`daily_id`,`featured_order`) WHERE "daily_comments"."featured_at" is not null;--> statement-breakpoint
CREATE INDEX `daily_comments_new_idx` ON `daily_comments` (`daily_id`) WHERE "daily_comments"."reviewed_at" is null;--> statement-breakpoint
CREATE INDEX `daily_comments_daily_author_idx` ON `daily_comments` (`daily_id`,`author_id`);--> statement-breakpoint
CREATE INDEX `daily_comments_author_created_idx` ON `daily_comments` (`author_id`,`created_at`);