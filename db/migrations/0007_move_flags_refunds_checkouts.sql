-- Custom data migration (drizzle-kit generate --custom), issue 11: what lived in columns of
-- orders moves to the tables 0006 created, before 0008 drops those columns.
-- An order's one flag becomes an open row of order_flags.
INSERT INTO `order_flags` (`order_id`, `flag`, `raised_at`)
SELECT `id`, `flag`, coalesce(`flagged_at`, `updated_at`) FROM `orders` WHERE `flag` IS NOT NULL;
--> statement-breakpoint
-- Payment events learn the payment id of the order they paid.
UPDATE `payment_events` SET `provider_payment_id` = (
  SELECT `provider_payment_id` FROM `orders` WHERE `orders`.`id` = `payment_events`.`order_id`
) WHERE `outcome` IN ('paid', 'reseated', 'refunding');
--> statement-breakpoint
-- A refund under way becomes a refunds row (its attempts and last error kept).
INSERT INTO `refunds` (`order_id`, `provider`, `provider_payment_id`, `amount_fen`, `currency`, `reason`, `state`,
  `attempts`, `next_attempt_at`, `last_error`, `created_at`, `updated_at`)
SELECT `id`, coalesce(`provider`, 'test'), `provider_payment_id`, `total_fen`, `currency`,
  CASE WHEN `flag` = 'paid_after_expiry' THEN 'late_payment' ELSE 'order' END,
  CASE WHEN `refund_attempts` >= 8 THEN 'failed' ELSE 'pending' END,
  `refund_attempts`, `updated_at`, `refund_error`, coalesce(`refund_requested_at`, `updated_at`), `updated_at`
FROM `orders` WHERE `state` = 'refunding';
--> statement-breakpoint
-- Refunds already done are kept as history.
INSERT INTO `refunds` (`order_id`, `provider`, `provider_payment_id`, `amount_fen`, `currency`, `reason`, `state`,
  `attempts`, `next_attempt_at`, `created_at`, `updated_at`, `refunded_at`)
SELECT `id`, coalesce(`provider`, 'test'), `provider_payment_id`, `total_fen`, `currency`,
  CASE WHEN `flag` = 'paid_after_expiry' THEN 'late_payment' ELSE 'order' END, 'succeeded',
  `refund_attempts`, `updated_at`, coalesce(`refund_requested_at`, `updated_at`), `updated_at`, `refunded_at`
FROM `orders` WHERE `state` = 'refunded';
--> statement-breakpoint
-- Stripe Checkout Sessions of orders still pending stay payable (and are closed when the order
-- lapses); those of lapsed or cancelled orders are closed by the job at the next run.
INSERT INTO `checkouts` (`order_id`, `provider`, `state`, `provider_ref`, `expires_at`, `created_at`, `updated_at`)
SELECT `id`, `provider`, 'open', `provider_ref`, `expires_at`, `updated_at`, `updated_at`
FROM `orders` WHERE `provider` = 'stripe' AND `provider_ref` IS NOT NULL AND `state` IN ('pending', 'expired', 'cancelled');
