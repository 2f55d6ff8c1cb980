CREATE TABLE `lesson_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`lesson_id` integer NOT NULL,
	`course_id` integer NOT NULL,
	`start_offset` integer NOT NULL,
	`end_offset` integer NOT NULL,
	`quote` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`lesson_id`) REFERENCES `course_lessons`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "lesson_notes_range_valid" CHECK("lesson_notes"."start_offset" >= 0 and "lesson_notes"."end_offset" > "lesson_notes"."start_offset"),
	CONSTRAINT "lesson_notes_note_length" CHECK(length("lesson_notes"."note") <= 2000)
);
--> statement-breakpoint
CREATE INDEX `lesson_notes_user_course_idx` ON `lesson_notes` (`user_id`,`course_id`,`lesson_id`,`start_offset`);--> statement-breakpoint
CREATE INDEX `lesson_notes_lesson_user_idx` ON `lesson_notes` (`lesson_id`,`user_id`);