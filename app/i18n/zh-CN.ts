// Every user-facing string of the site, in Simplified Chinese. An English catalogue can follow
// with the same shape. Each area lives in app/i18n/<area>.zh-CN.ts (the small ones every page
// reads in core.zh-CN.ts). Client modules import the area files they read, directly: the bundler
// splits chunks by file, and a barrel such as this one would put every area in every page's
// script (decision 028). `t` (= `zhCN`) is the whole catalogue, for server code and tests.
import { accountZhCN } from './account.zh-CN'
import { adminZhCN } from './admin.zh-CN'
import { adminOrdersZhCN } from './adminOrders.zh-CN'
import { authZhCN } from './auth.zh-CN'
import { cardZhCN } from './card.zh-CN'
import { commentsZhCN } from './comments.zh-CN'
import { communityZhCN } from './community.zh-CN'
import { courseAdminZhCN } from './courseAdmin.zh-CN'
import { variantAdminZhCN } from './variantAdmin.zh-CN'
import { coursesZhCN } from './courses.zh-CN'
import { bannersZhCN, commonZhCN, errorsZhCN, fieldsZhCN, flashZhCN, httpZhCN, legalZhCN, markdownZhCN, navZhCN, pagesZhCN, rolesZhCN, siteZhCN, tierBadgeZhCN } from './core.zh-CN'
import { dailyZhCN } from './daily.zh-CN'
import { dropLineZhCN } from './dropLine.zh-CN'
import { dropsZhCN } from './drops.zh-CN'
import { feedsZhCN } from './feeds.zh-CN'
import { homeZhCN } from './home.zh-CN'
import { lessonNoteActionsZhCN } from './lessonNoteActions.zh-CN'
import { lessonNotesZhCN } from './lessonNotes.zh-CN'
import { myNotesZhCN } from './myNotes.zh-CN'
import { mediaZhCN } from './media.zh-CN'
import { moderationZhCN } from './moderation.zh-CN'
import { notificationsZhCN } from './notifications.zh-CN'
import { ordersZhCN } from './orders.zh-CN'
import { paymentsZhCN } from './payments.zh-CN'
import { playerZhCN } from './player.zh-CN'
import { sectionsZhCN } from './sections.zh-CN'
import { shareZhCN } from './share.zh-CN'
import { addressesZhCN } from './addresses.zh-CN'
import { shippingZhCN } from './shipping.zh-CN'
import { shippingAdminZhCN } from './shippingAdmin.zh-CN'
import { shopZhCN } from './shop.zh-CN'
import { siteSettingsZhCN } from './siteSettings.zh-CN'
import { wechatZhCN } from './wechat.zh-CN'
import { wechatAuthZhCN } from './wechatAuth.zh-CN'

export { siteZhCN as site, navZhCN as nav, rolesZhCN as roles, tierBadgeZhCN as tierBadge, fieldsZhCN as fields, errorsZhCN as errors, httpZhCN as http, pagesZhCN as pages, homeZhCN as home, sectionsZhCN as sections, authZhCN as auth, accountZhCN as account, adminZhCN as admin, mediaZhCN as media, dailyZhCN as daily, wechatZhCN as wechat, wechatAuthZhCN as wechatAuth, feedsZhCN as feeds, shareZhCN as share, moderationZhCN as moderation, communityZhCN as community, commentsZhCN as comments, shopZhCN as shop, shippingZhCN as shipping, shippingAdminZhCN as shippingAdmin, addressesZhCN as addresses, ordersZhCN as orders, adminOrdersZhCN as adminOrders, paymentsZhCN as payments, dropsZhCN as drops, dropLineZhCN as dropLine, cardZhCN as card, playerZhCN as player, notificationsZhCN as notifications, flashZhCN as flash, markdownZhCN as markdown, commonZhCN as common, bannersZhCN as banners, legalZhCN as legal }

export const zhCN = {
  shipping: shippingZhCN,
  shippingAdmin: shippingAdminZhCN,
  addresses: addressesZhCN,
  courses: coursesZhCN,
  courseAdmin: courseAdminZhCN,
  lessonNotes: lessonNotesZhCN,
  lessonNoteActions: lessonNoteActionsZhCN,
  myNotes: myNotesZhCN,
  variantAdmin: variantAdminZhCN,
  site: siteZhCN,
  legal: legalZhCN,
  nav: navZhCN,
  roles: rolesZhCN,
  tierBadge: tierBadgeZhCN,
  fields: fieldsZhCN,
  errors: errorsZhCN,
  http: httpZhCN,
  pages: pagesZhCN,
  home: homeZhCN,
  sections: sectionsZhCN,
  auth: authZhCN,
  account: accountZhCN,
  admin: adminZhCN,
  media: mediaZhCN,
  daily: dailyZhCN,
  wechat: wechatZhCN,
  wechatAuth: wechatAuthZhCN,
  feeds: feedsZhCN,
  share: shareZhCN,
  moderation: moderationZhCN,
  community: communityZhCN,
  comments: commentsZhCN,
  shop: shopZhCN,
  orders: ordersZhCN,
  adminOrders: adminOrdersZhCN,
  payments: paymentsZhCN,
  drops: dropsZhCN,
  dropLine: dropLineZhCN,
  card: cardZhCN,
  player: playerZhCN,
  notifications: notificationsZhCN,
  flash: flashZhCN,
  markdown: markdownZhCN,
  common: commonZhCN,
  banners: bannersZhCN,
  siteSettings: siteSettingsZhCN,
} as const

export const t = zhCN
