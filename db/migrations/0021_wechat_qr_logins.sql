CREATE TABLE `wechat_qr_logins` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`approved_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `wechat_qr_logins_expires_idx` ON `wechat_qr_logins` (`expires_at`);