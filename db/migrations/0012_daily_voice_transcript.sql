ALTER TABLE `dailies` ADD `transcript` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `dailies` ADD `voice_public` integer DEFAULT true NOT NULL;