CREATE TABLE `product_variants` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`product_id` integer NOT NULL,
	`option_values` text NOT NULL,
	`stock_id` integer NOT NULL,
	`price_offset_fen` integer DEFAULT 0 NOT NULL,
	`sku` text,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`stock_id`) REFERENCES `stock`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `product_variants_values_unique` ON `product_variants` (`product_id`,`option_values`);--> statement-breakpoint
CREATE UNIQUE INDEX `product_variants_stock_unique` ON `product_variants` (`stock_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `product_variants_sku_unique` ON `product_variants` (`sku`) WHERE "product_variants"."sku" IS NOT NULL;--> statement-breakpoint
DROP INDEX `cart_items_line_unique`;--> statement-breakpoint
ALTER TABLE `cart_items` ADD `variant_id` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `cart_items_line_unique` ON `cart_items` (`user_id`,`product_id`,`variant_id`,`personalisation`);--> statement-breakpoint
ALTER TABLE `order_lines` ADD `variant_id` integer;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `variant_label` text;--> statement-breakpoint
ALTER TABLE `products` ADD `options` text DEFAULT '[]' NOT NULL;