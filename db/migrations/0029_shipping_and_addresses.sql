CREATE TABLE `shipping_addresses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`name` text NOT NULL,
	`phone` text NOT NULL,
	`province` text NOT NULL,
	`city` text NOT NULL,
	`district` text NOT NULL,
	`street` text NOT NULL,
	`is_default` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `shipping_addresses_user_idx` ON `shipping_addresses` (`user_id`,`updated_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `shipping_addresses_one_default` ON `shipping_addresses` (`user_id`) WHERE "shipping_addresses"."is_default" = 1;--> statement-breakpoint
CREATE TABLE `shipping_rules` (
	`id` integer PRIMARY KEY NOT NULL,
	`flat_fee_fen` integer DEFAULT 0 NOT NULL,
	`free_over_fen` integer,
	`updated_at` integer NOT NULL,
	CONSTRAINT "shipping_rules_one_row" CHECK("shipping_rules"."id" = 1),
	CONSTRAINT "shipping_rules_not_negative" CHECK("shipping_rules"."flat_fee_fen" >= 0 AND ("shipping_rules"."free_over_fen" IS NULL OR "shipping_rules"."free_over_fen" >= 0))
);
--> statement-breakpoint
ALTER TABLE `orders` ADD `shipping_fee_fen` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `products` ADD `shipping_fee_fen` integer;