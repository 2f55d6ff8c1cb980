-- Custom migration (drizzle-kit generate --custom): users.email_news becomes the "news" kind's
-- email preference in notification_preferences (docs/decisions/023-notifications.md).
INSERT INTO `notification_preferences` (`user_id`, `kind`, `channel`, `enabled`)
SELECT `id`, 'news', 'email', `email_news` FROM `users` WHERE true
ON CONFLICT DO NOTHING;
