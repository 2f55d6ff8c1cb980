CREATE TABLE `site_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`publish_time` text,
	`support_contact` text,
	`icp_number` text,
	`updated_at` integer NOT NULL,
	CONSTRAINT "site_settings_one_row" CHECK("site_settings"."id" = 1),
	CONSTRAINT "site_settings_publish_time" CHECK("site_settings"."publish_time" IS NULL OR "site_settings"."publish_time" GLOB '[0-2][0-9]:[0-5][0-9]')
);
