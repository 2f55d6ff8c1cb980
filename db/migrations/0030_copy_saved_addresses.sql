-- Decision 048: each account's one saved address (the old `addresses` table) becomes its first
-- saved address and its default. The old table stays until a later migration drops it.
INSERT INTO `shipping_addresses` (`user_id`, `name`, `phone`, `province`, `city`, `district`, `street`, `is_default`, `created_at`, `updated_at`)
SELECT `user_id`, `name`, `phone`, `province`, `city`, `district`, `street`, 1, `updated_at`, `updated_at` FROM `addresses`;
