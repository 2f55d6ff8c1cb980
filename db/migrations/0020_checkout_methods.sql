ALTER TABLE `checkouts` ADD `method` text;--> statement-breakpoint
ALTER TABLE `checkouts` ADD `action` text;--> statement-breakpoint
ALTER TABLE `checkouts` ADD `payer_openid` text;--> statement-breakpoint
ALTER TABLE `checkouts` ADD `client_ip` text;