-- Decision 049: every period a drop sold names that drop (drop_id), says what it sold it as
-- (drop_sale) and, apart, which drop issued its number (number_drop_id). Data only.
-- Until now drop_id was set exactly when the drop's counter gave the period its number.
UPDATE `memberships` SET `number_drop_id` = `drop_id` WHERE `drop_id` IS NOT NULL AND `member_number` IS NOT NULL;--> statement-breakpoint
-- Renewals and upgrades from an earlier plan named no drop: the order that paid for them does.
UPDATE `memberships` SET `drop_id` = (SELECT `o`.`drop_id` FROM `orders` `o` WHERE `o`.`id` = `memberships`.`order_id`)
WHERE `drop_id` IS NULL AND `source` = 'drop' AND `order_id` IS NOT NULL;--> statement-breakpoint
-- A period that begins after its payment continues the plan (a renewal); one that began while a
-- lower-ranked period of the buyer was in force is an upgrade; the others are new memberships.
UPDATE `memberships` SET `drop_sale` = CASE
  WHEN `valid_from` > (SELECT `o`.`paid_at` FROM `orders` `o` WHERE `o`.`id` = `memberships`.`order_id`) THEN 'renewal'
  WHEN EXISTS (
    SELECT 1 FROM `memberships` `p`
    JOIN `tiers` `pt` ON `pt`.`id` = `p`.`tier_id`
    JOIN `tiers` `mt` ON `mt`.`id` = `memberships`.`tier_id`
    WHERE `p`.`user_id` = `memberships`.`user_id` AND `p`.`id` <> `memberships`.`id`
      AND `pt`.`rank` > 0 AND `pt`.`rank` < `mt`.`rank`
      AND `p`.`valid_from` <= `memberships`.`valid_from` AND `p`.`valid_until` > `memberships`.`valid_from`
      AND (`p`.`revoked_at` IS NULL OR `p`.`revoked_at` > `memberships`.`valid_from`)
  ) THEN 'upgrade'
  ELSE 'new'
END
WHERE `drop_id` IS NOT NULL AND `source` = 'drop';
