CREATE TABLE `addresses` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`phone` text NOT NULL,
	`province` text NOT NULL,
	`city` text NOT NULL,
	`district` text NOT NULL,
	`street` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `cart_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`product_id` integer NOT NULL,
	`qty` integer NOT NULL,
	`personalisation` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cart_items_line_unique` ON `cart_items` (`user_id`,`product_id`,`personalisation`);--> statement-breakpoint
CREATE TABLE `counters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`value` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `drop_tiers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`drop_id` integer NOT NULL,
	`tier_id` integer NOT NULL,
	`price_fen` integer NOT NULL,
	`stock_id` integer NOT NULL,
	`valid_until` integer NOT NULL,
	FOREIGN KEY (`drop_id`) REFERENCES `drops`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tier_id`) REFERENCES `tiers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`stock_id`) REFERENCES `stock`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `drop_tiers_unique` ON `drop_tiers` (`drop_id`,`tier_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `drop_tiers_stock_unique` ON `drop_tiers` (`stock_id`);--> statement-breakpoint
CREATE TABLE `drop_waitlist` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`drop_tier_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`notified_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`drop_tier_id`) REFERENCES `drop_tiers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `drop_waitlist_once_unique` ON `drop_waitlist` (`drop_tier_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `drop_waitlist_queue_idx` ON `drop_waitlist` (`drop_tier_id`,`notified_at`,`id`);--> statement-breakpoint
CREATE TABLE `drops` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`opens_at` integer NOT NULL,
	`closes_at` integer NOT NULL,
	`announcement` text DEFAULT '' NOT NULL,
	`counter_id` integer NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`counter_id`) REFERENCES `counters`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "drops_window" CHECK("drops"."closes_at" > "drops"."opens_at")
);
--> statement-breakpoint
CREATE INDEX `drops_opens_idx` ON `drops` (`opens_at`);--> statement-breakpoint
CREATE TABLE `holds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`stock_id` integer NOT NULL,
	`order_id` integer NOT NULL,
	`line_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`qty` integer NOT NULL,
	`state` text DEFAULT 'held' NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`stock_id`) REFERENCES `stock`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`line_id`) REFERENCES `order_lines`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "holds_qty_positive" CHECK("holds"."qty" > 0)
);
--> statement-breakpoint
CREATE INDEX `holds_due_idx` ON `holds` (`state`,`expires_at`);--> statement-breakpoint
CREATE INDEX `holds_stock_user_idx` ON `holds` (`stock_id`,`user_id`,`state`);--> statement-breakpoint
CREATE INDEX `holds_order_idx` ON `holds` (`order_id`);--> statement-breakpoint
CREATE TABLE `order_lines` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`order_id` integer NOT NULL,
	`stock_id` integer NOT NULL,
	`product_id` integer,
	`drop_tier_id` integer,
	`title` text NOT NULL,
	`qty` integer NOT NULL,
	`unit_price_fen` integer NOT NULL,
	`personalisation` text,
	`takes_numbers` integer DEFAULT true NOT NULL,
	`numbers` text DEFAULT '[]' NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`stock_id`) REFERENCES `stock`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `order_lines_order_idx` ON `order_lines` (`order_id`);--> statement-breakpoint
CREATE INDEX `order_lines_product_idx` ON `order_lines` (`product_id`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`total_fen` integer NOT NULL,
	`currency` text DEFAULT 'CNY' NOT NULL,
	`expires_at` integer NOT NULL,
	`provider` text,
	`provider_ref` text,
	`provider_payment_id` text,
	`exclusive_key` text,
	`drop_id` integer,
	`shipping` text,
	`carrier` text,
	`tracking_number` text,
	`flag` text,
	`flagged_at` integer,
	`paid_at` integer,
	`shipped_at` integer,
	`completed_at` integer,
	`cancelled_at` integer,
	`expired_at` integer,
	`refund_requested_at` integer,
	`refunded_at` integer,
	`refund_attempts` integer DEFAULT 0 NOT NULL,
	`refund_error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `orders_user_idx` ON `orders` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `orders_state_idx` ON `orders` (`state`,`created_at`);--> statement-breakpoint
CREATE INDEX `orders_created_idx` ON `orders` (`created_at`);--> statement-breakpoint
CREATE INDEX `orders_drop_idx` ON `orders` (`drop_id`,`state`);--> statement-breakpoint
CREATE UNIQUE INDEX `orders_exclusive_key_unique` ON `orders` (`exclusive_key`) WHERE "orders"."exclusive_key" IS NOT NULL AND "orders"."state" IN ('pending', 'paid', 'shipped', 'completed', 'refunding');--> statement-breakpoint
CREATE UNIQUE INDEX `orders_provider_ref_unique` ON `orders` (`provider`,`provider_ref`);--> statement-breakpoint
CREATE TABLE `payment_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provider` text NOT NULL,
	`event_id` text NOT NULL,
	`order_id` integer,
	`type` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`currency` text NOT NULL,
	`outcome` text NOT NULL,
	`received_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payment_events_unique` ON `payment_events` (`provider`,`event_id`);--> statement-breakpoint
CREATE INDEX `payment_events_order_idx` ON `payment_events` (`order_id`);--> statement-breakpoint
CREATE TABLE `product_categories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `product_categories_slug_unique` ON `product_categories` (`slug`);--> statement-breakpoint
CREATE TABLE `product_images` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`product_id` integer NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`thumb_media_id` text NOT NULL,
	`large_media_id` text NOT NULL,
	`alt` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`thumb_media_id`) REFERENCES `media`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`large_media_id`) REFERENCES `media`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `product_images_product_idx` ON `product_images` (`product_id`,`position`);--> statement-breakpoint
CREATE TABLE `product_tier_prices` (
	`product_id` integer NOT NULL,
	`tier_id` integer NOT NULL,
	`price_fen` integer NOT NULL,
	PRIMARY KEY(`product_id`, `tier_id`),
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tier_id`) REFERENCES `tiers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `products` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`category_id` integer NOT NULL,
	`summary` text DEFAULT '' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`price_fen` integer NOT NULL,
	`min_rank` integer DEFAULT 0 NOT NULL,
	`gated_visibility` text DEFAULT 'visible' NOT NULL,
	`sale_starts_at` integer,
	`sale_ends_at` integer,
	`stock_id` integer NOT NULL,
	`limited_edition` integer DEFAULT false NOT NULL,
	`per_member_limit` integer,
	`personalisation_label` text,
	`personalisation_max_length` integer,
	`mystery` integer DEFAULT false NOT NULL,
	`published` integer DEFAULT false NOT NULL,
	`published_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`category_id`) REFERENCES `product_categories`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`stock_id`) REFERENCES `stock`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `products_slug_unique` ON `products` (`slug`);--> statement-breakpoint
CREATE UNIQUE INDEX `products_stock_unique` ON `products` (`stock_id`);--> statement-breakpoint
CREATE INDEX `products_category_idx` ON `products` (`category_id`,`published`);--> statement-breakpoint
CREATE INDEX `products_published_idx` ON `products` (`published`,`published_at`);--> statement-breakpoint
CREATE TABLE `stock` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`capacity` integer,
	`sold` integer DEFAULT 0 NOT NULL,
	`held` integer DEFAULT 0 NOT NULL,
	`counter_id` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`counter_id`) REFERENCES `counters`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "stock_within_capacity" CHECK("stock"."sold" >= 0 AND "stock"."held" >= 0 AND ("stock"."capacity" IS NULL OR "stock"."sold" + "stock"."held" <= "stock"."capacity"))
);
--> statement-breakpoint
ALTER TABLE `memberships` ADD `drop_id` integer;--> statement-breakpoint
ALTER TABLE `memberships` ADD `order_id` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `memberships_drop_number_unique` ON `memberships` (`drop_id`,`member_number`) WHERE "memberships"."drop_id" IS NOT NULL;