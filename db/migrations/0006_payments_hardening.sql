CREATE TABLE `checkouts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`order_id` integer NOT NULL,
	`provider` text NOT NULL,
	`state` text DEFAULT 'creating' NOT NULL,
	`provider_ref` text,
	`url` text,
	`expires_at` integer NOT NULL,
	`claimed_until` integer,
	`close_attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `checkouts_payable_unique` ON `checkouts` (`order_id`) WHERE "checkouts"."state" IN ('creating', 'open');--> statement-breakpoint
CREATE UNIQUE INDEX `checkouts_provider_ref_unique` ON `checkouts` (`provider`,`provider_ref`);--> statement-breakpoint
CREATE INDEX `checkouts_state_idx` ON `checkouts` (`state`,`expires_at`);--> statement-breakpoint
CREATE TABLE `order_flags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`order_id` integer NOT NULL,
	`flag` text NOT NULL,
	`detail` text,
	`raised_at` integer NOT NULL,
	`cleared_at` integer,
	`cleared_by` integer,
	`clear_note` text,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cleared_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `order_flags_open_unique` ON `order_flags` (`order_id`,`flag`) WHERE "order_flags"."cleared_at" IS NULL;--> statement-breakpoint
CREATE INDEX `order_flags_open_idx` ON `order_flags` (`cleared_at`,`raised_at`);--> statement-breakpoint
CREATE TABLE `refunds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`order_id` integer,
	`payment_event_id` integer,
	`provider` text NOT NULL,
	`provider_payment_id` text,
	`amount_fen` integer NOT NULL,
	`currency` text DEFAULT 'CNY' NOT NULL,
	`reason` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`claimed_until` integer,
	`last_error` text,
	`provider_refund_id` text,
	`requested_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	`refunded_at` integer,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`payment_event_id`) REFERENCES `payment_events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requested_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `refunds_payment_event_unique` ON `refunds` (`payment_event_id`);--> statement-breakpoint
CREATE INDEX `refunds_due_idx` ON `refunds` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `refunds_order_idx` ON `refunds` (`order_id`);--> statement-breakpoint
CREATE TABLE `returned_numbers` (
	`counter_id` integer NOT NULL,
	`number` integer NOT NULL,
	PRIMARY KEY(`counter_id`, `number`),
	FOREIGN KEY (`counter_id`) REFERENCES `counters`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
DROP INDEX `orders_exclusive_key_unique`;--> statement-breakpoint
CREATE UNIQUE INDEX `orders_exclusive_key_unique` ON `orders` (`exclusive_key`) WHERE "orders"."exclusive_key" IS NOT NULL AND "orders"."state" IN ('pending', 'paid', 'shipped', 'completed');--> statement-breakpoint
ALTER TABLE `payment_events` ADD `provider_payment_id` text;--> statement-breakpoint
ALTER TABLE `payment_events` ADD `error` text;