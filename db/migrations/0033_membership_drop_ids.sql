DROP INDEX `memberships_drop_number_unique`;--> statement-breakpoint
ALTER TABLE `memberships` ADD `drop_sale` text;--> statement-breakpoint
ALTER TABLE `memberships` ADD `number_drop_id` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `memberships_number_unique` ON `memberships` (`number_drop_id`,`member_number`) WHERE "memberships"."number_drop_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `memberships_drop_idx` ON `memberships` (`drop_id`);