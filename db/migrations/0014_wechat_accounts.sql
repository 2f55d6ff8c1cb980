CREATE TABLE `wechat_credentials` (
	`app_id` text NOT NULL,
	`kind` text NOT NULL,
	`value` text,
	`expires_at` integer,
	`refreshing_until` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`app_id`, `kind`)
);
--> statement-breakpoint
CREATE TABLE `wechat_identities` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`app_id` text NOT NULL,
	`openid` text NOT NULL,
	`unionid` text,
	`nickname` text,
	`avatar_url` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wechat_identities_app_openid_unique` ON `wechat_identities` (`app_id`,`openid`);--> statement-breakpoint
CREATE INDEX `wechat_identities_user_idx` ON `wechat_identities` (`user_id`);--> statement-breakpoint
CREATE INDEX `wechat_identities_unionid_idx` ON `wechat_identities` (`unionid`);