CREATE TABLE `wechat_nonces` (
	`nonce` text PRIMARY KEY NOT NULL,
	`signed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `wechat_nonces_signed_at_idx` ON `wechat_nonces` (`signed_at`);