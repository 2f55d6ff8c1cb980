ALTER TABLE `users` ADD `terms_version_agreed` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `privacy_version_agreed` integer;