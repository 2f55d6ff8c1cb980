DROP INDEX `orders_provider_ref_unique`;--> statement-breakpoint
ALTER TABLE `orders` DROP COLUMN `provider_ref`;--> statement-breakpoint
ALTER TABLE `orders` DROP COLUMN `flag`;--> statement-breakpoint
ALTER TABLE `orders` DROP COLUMN `flagged_at`;--> statement-breakpoint
ALTER TABLE `orders` DROP COLUMN `refund_attempts`;--> statement-breakpoint
ALTER TABLE `orders` DROP COLUMN `refund_error`;