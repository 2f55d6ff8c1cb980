// The shop's categories (always, when there are none) and, outside production, a dozen demo
// products across them: a numbered limited edition with engraving, a 铁杆-only item, a
// personalised stamp, a mystery bundle, a small sold-out run, one going on sale tomorrow, member
// prices, and one hidden below its tier. Photos are drawn at seed time (an SVG colour block with
// the product's short name, rendered by sharp through the admin's upload path), so no binary
// files live in git. A few paid demo orders give 最热 something to rank and the sold-out item
// its sales; they keep the stock invariant (sold = the units of sold holds).
import { count, eq, inArray } from 'drizzle-orm'
import {
  counters,
  holds,
  media,
  orderLines,
  orders,
  paymentEvents,
  productCategories,
  productImages,
  products,
  productTierPrices,
  productVariants,
  stock,
  tiers,
  users,
  type ShippingAddress,
} from './schema'
import type { DatabaseHandle } from './client'
import { weekBounds } from '~/domain/product'
import { addDays, localDate, startOfDateIn } from '~/domain/time'

const HOUR_MS = 60 * 60 * 1000
const DAY_MS = 24 * HOUR_MS

export const DEFAULT_PRODUCT_CATEGORIES = [
  { slug: 'books', name: '精神粮食', description: '值得一读再读的书，编辑逐本挑选。', sortOrder: 1 },
  { slug: 'survival', name: '生存处方', description: '让日子过得更好一点的实用好物。', sortOrder: 2 },
  { slug: 'stationery', name: '文具精选', description: '写字、记录、思考的趁手工具。', sortOrder: 3 },
  { slug: 'bige', name: '逼格工场', description: '有态度的设计周边，知音限定。', sortOrder: 4 },
] as const

type CategorySlug = (typeof DEFAULT_PRODUCT_CATEGORIES)[number]['slug']

export async function seedShopCategories({ db }: DatabaseHandle) {
  const [existing] = await db.select({ n: count() }).from(productCategories)
  if ((existing?.n ?? 0) > 0) return false
  // Another process may have seeded since the count: the unique slugs keep theirs.
  const created = await db.insert(productCategories).values([...DEFAULT_PRODUCT_CATEGORIES]).onConflictDoNothing().returning({ id: productCategories.id })
  return created.length > 0
}

interface DemoProduct {
  slug: string
  title: string
  /** Drawn on the photo. */
  short: string
  category: CategorySlug
  summary: string
  description: string
  price: number
  memberPrices?: Partial<Record<'qinqing' | 'tiegan', number>>
  minRank?: number
  hidden?: boolean
  /** Where in the weeks it was published: 'this' (this week) or 'last' (last week), and a fraction of it. */
  published: { week: 'this' | 'last'; at: number }
  /** Sale opens tomorrow at this local hour. */
  opensTomorrowAt?: number
  capacity?: number
  limitedEdition?: boolean
  perMemberLimit?: number
  personalisation?: { label: string; max: number }
  mystery?: boolean
  /** One option whose values each sell from their own stock (decision 047); `capacity` is then their sum. */
  variants?: { option: string; values: readonly { value: string; capacity: number; offset?: number; sku: string }[] }
  colour: string
}

export const DEMO_PRODUCTS: readonly DemoProduct[] = [
  {
    slug: 'zhiyin-10th-pen',
    title: '知音十周年纪念钢笔',
    short: '纪念钢笔',
    category: 'stationery',
    summary: '十周年限定，铱金笔尖，笔身可刻 12 字，每支独立编号。',
    description:
      '## 十年，写给知音\n\n- 黄铜笔身，手工烤漆\n- 德国 F 尖，书写顺滑\n- 笔帽刻有独立编号「No. 37 / 500」\n- 可免费刻字，最多 12 个字\n\n附赠墨水一瓶与礼盒。',
    price: 368,
    memberPrices: { qinqing: 338, tiegan: 318 },
    published: { week: 'this', at: 0.9 },
    capacity: 500,
    limitedEdition: true,
    perMemberLimit: 2,
    personalisation: { label: '刻字', max: 12 },
    colour: '#7c2d12',
  },
  {
    slug: 'mystery-booklist-box',
    title: '神秘书单盲盒',
    short: '书单盲盒',
    category: 'books',
    summary: '编辑选出的 6 本书，主题保密，付款后揭晓书单。',
    description:
      '## 本期书单\n\n1. 《枪炮、病菌与钢铁》\n2. 《思考，快与慢》\n3. 《人类简史》\n4. 《置身事内》\n5. 《穷查理宝典》\n6. 《见识》\n\n每本都附编辑手写导读卡。',
    price: 199,
    memberPrices: { tiegan: 179 },
    published: { week: 'this', at: 0.7 },
    capacity: 800,
    perMemberLimit: 3,
    mystery: true,
    colour: '#1e3a8a',
  },
  {
    slug: 'tiegan-black-notebook',
    title: '铁杆专属 · 黑金笔记本',
    short: '黑金笔记本',
    category: 'bige',
    summary: '只为铁杆会员制作：黑色封皮烫金，内页 120 克道林纸。',
    description: '封面烫金「知音 · 铁杆」，锁线装订可平摊，192 页点阵内页。\n\n仅铁杆会员可以购买，人人都可以看看。',
    price: 128,
    minRank: 2,
    published: { week: 'this', at: 0.5 },
    capacity: 200,
    perMemberLimit: 1,
    colour: '#111827',
  },
  {
    slug: 'name-seal-stamp',
    title: '定制藏书章',
    short: '藏书章',
    category: 'stationery',
    summary: '刻上你的名字，盖在每一本心爱的书上。',
    description: '青田石章料，篆书手刻，附印泥。\n\n**印文最多 4 个字**，例如「知音藏书」。',
    price: 88,
    memberPrices: { qinqing: 78 },
    published: { week: 'this', at: 0.3 },
    personalisation: { label: '印文', max: 4 },
    colour: '#991b1b',
  },
  {
    slug: 'cognition-breakout-signed',
    title: '《认知突围》签名版',
    short: '认知突围',
    category: 'books',
    summary: '作者亲笔签名，会员价更优惠。',
    description: '一本关于「如何持续学习」的书。\n\n签名版数量有限，随书附赠知音书签。',
    price: 68,
    memberPrices: { qinqing: 58, tiegan: 52 },
    published: { week: 'this', at: 0.1 },
    colour: '#0f766e',
  },
  {
    slug: 'morning-survival-kit',
    title: '早起生存套装',
    short: '早起套装',
    category: 'survival',
    summary: '定时开售：静音闹钟、挂耳咖啡和晨间计划本。',
    description: '给每天 6 点起床听语音的你：\n\n- 静音震动闹钟\n- 挂耳咖啡 14 包\n- 晨间计划本',
    price: 139,
    published: { week: 'this', at: 0.6 },
    opensTomorrowAt: 10,
    capacity: 300,
    colour: '#b45309',
  },
  {
    slug: 'sike-canvas-bag',
    title: '「死磕」帆布袋',
    short: '帆布袋',
    category: 'bige',
    summary: '小批量试产，只做了 3 个。',
    description: '12 安帆布，丝网印刷「死磕」二字。',
    price: 49,
    published: { week: 'last', at: 0.8 },
    capacity: 3,
    colour: '#4d7c0f',
  },
  {
    slug: 'zhiyin-thermos',
    title: '知音保温杯',
    short: '保温杯',
    category: 'survival',
    summary: '早上的咖啡，到中午还是热的。',
    description: '316 不锈钢内胆，保温 12 小时，容量 450 毫升。',
    price: 129,
    memberPrices: { qinqing: 119 },
    published: { week: 'last', at: 0.6 },
    colour: '#0e7490',
  },
  {
    slug: 'long-termism-hardcover',
    title: '《长期主义》精装',
    short: '长期主义',
    category: 'books',
    summary: '做时间的朋友：一本写给十年后的自己的书。',
    description: '精装典藏版，布面烫银。',
    price: 59,
    published: { week: 'last', at: 0.4 },
    colour: '#6d28d9',
  },
  {
    slug: 'deep-reading-earplugs',
    title: '深度阅读降噪耳塞',
    short: '降噪耳塞',
    category: 'survival',
    summary: '地铁里也能读进去的安静。',
    description: '降噪 32 分贝，附收纳盒，三种尺寸耳套。',
    price: 39,
    published: { week: 'last', at: 0.2 },
    colour: '#475569',
  },
  {
    slug: 'zhiyin-hoodie',
    title: '知音卫衣',
    short: '知音卫衣',
    category: 'bige',
    summary: '胸前一句「听见知音」，限量 100 件。',
    description: '380 克毛圈棉，宽松版型，男女同款。',
    price: 239,
    memberPrices: { qinqing: 219, tiegan: 209 },
    published: { week: 'last', at: 0.1 },
    capacity: 100,
    perMemberLimit: 2,
    variants: {
      option: '尺码',
      values: [
        { value: 'S', capacity: 20, sku: 'ZY-HOODIE-S' },
        { value: 'M', capacity: 30, sku: 'ZY-HOODIE-M' },
        { value: 'L', capacity: 35, sku: 'ZY-HOODIE-L' },
        { value: 'XL', capacity: 15, offset: 10, sku: 'ZY-HOODIE-XL' },
      ],
    },
    colour: '#be185d',
  },
  {
    slug: 'tiegan-reading-club-notes',
    title: '铁杆读书会纪要合集',
    short: '读书会纪要',
    category: 'books',
    summary: '一年 12 次铁杆读书会的完整纪要，装订成册。',
    description: '只对铁杆会员可见：其他人在商城里看不到这件商品。',
    price: 99,
    minRank: 2,
    hidden: true,
    published: { week: 'this', at: 0.4 },
    capacity: 150,
    colour: '#a16207',
  },
]

/** Paid demo orders: who bought what and how many, days ago. */
const DEMO_SALES: readonly { buyer: 'tiegan' | 'qinqing' | 'user'; slug: string; qty: number; daysAgo: number; state: 'paid' | 'shipped' | 'completed' }[] = [
  { buyer: 'tiegan', slug: 'zhiyin-10th-pen', qty: 1, daysAgo: 0.5, state: 'paid' },
  { buyer: 'user', slug: 'zhiyin-10th-pen', qty: 1, daysAgo: 2, state: 'shipped' },
  { buyer: 'qinqing', slug: 'zhiyin-thermos', qty: 2, daysAgo: 6, state: 'completed' },
  { buyer: 'user', slug: 'zhiyin-thermos', qty: 3, daysAgo: 4, state: 'shipped' },
  { buyer: 'tiegan', slug: 'sike-canvas-bag', qty: 1, daysAgo: 5, state: 'completed' },
  { buyer: 'qinqing', slug: 'sike-canvas-bag', qty: 1, daysAgo: 5, state: 'shipped' },
  { buyer: 'user', slug: 'sike-canvas-bag', qty: 1, daysAgo: 4, state: 'paid' },
  { buyer: 'qinqing', slug: 'cognition-breakout-signed', qty: 3, daysAgo: 1, state: 'paid' },
]

const DEMO_ADDRESS: ShippingAddress = { name: '知音读者', phone: '13800138000', province: '北京市', city: '北京市', district: '朝阳区', street: '建国路 1 号' }

function escapeXml(text: string) {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** A square colour block with the product's short name and its category. */
export function demoProductSvg(short: string, caption: string, colour: string) {
  const size = 800
  const fontSize = short.length > 4 ? Math.floor(560 / short.length) : 130
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
<rect width="${size}" height="${size}" fill="${colour}"/>
<circle cx="640" cy="170" r="170" fill="#fff" fill-opacity="0.1"/>
<circle cx="120" cy="700" r="240" fill="#000" fill-opacity="0.1"/>
<text x="400" y="${400 + fontSize / 3}" font-family="Noto Sans CJK SC, Noto Sans SC, sans-serif" font-size="${fontSize}" font-weight="700" fill="#fff" text-anchor="middle">${escapeXml(short)}</text>
<text x="400" y="690" font-family="Noto Sans CJK SC, Noto Sans SC, sans-serif" font-size="34" fill="#fff" fill-opacity="0.8" text-anchor="middle" letter-spacing="6">${escapeXml(caption)}</text>
</svg>`
}

/**
 * Demo products, only into a database without products (outside production). Returns how many
 * were created.
 */
export async function seedDemoShop(handle: DatabaseHandle, { now = new Date(), timeZone }: { now?: Date; timeZone?: string } = {}) {
  const { db } = handle
  const [existing] = await db.select({ n: count() }).from(products)
  if ((existing?.n ?? 0) > 0) return 0
  // Imported here so that the app's modules (and their env check) load only when seeding.
  const [{ default: sharp }, { prepareProductImage }, { bufferChunks, discardRenditions }, { getEnv }] = await Promise.all([
    import('sharp'),
    import('~/utils/product-images.server'),
    import('~/utils/image-upload.server'),
    import('~/utils/env.server'),
  ])
  const zone = timeZone ?? getEnv().SITE_TIMEZONE

  const categoryRows = await db.select().from(productCategories)
  const categoryId = (slug: string) => categoryRows.find((c) => c.slug === slug)?.id
  const tierRows = await db.select().from(tiers)
  const tierId = (slug: string) => tierRows.find((t) => t.slug === slug)?.id
  const { start: thisWeek } = weekBounds(now, zone)
  const lastWeek = new Date(thisWeek.getTime() - 7 * DAY_MS)
  const tomorrow = startOfDateIn(addDays(localDate(now, zone), 1)!, zone)!

  // Photos first (CPU work, in parallel), then one transaction for the rows.
  const photos = await Promise.all(
    DEMO_PRODUCTS.map(async (demo) => {
      const caption = `知音 · ${DEFAULT_PRODUCT_CATEGORIES.find((c) => c.slug === demo.category)!.name}`
      const png = await sharp(Buffer.from(demoProductSvg(demo.short, caption, demo.colour))).png({ compressionLevel: 1 }).toBuffer()
      const prepared = await prepareProductImage(bufferChunks(png))
      if (!prepared.ok) throw new Error(`demo photo of ${demo.slug} was refused: ${prepared.error}`)
      return prepared
    }),
  )

  let seeded: boolean
  try {
    seeded = await handle.transaction(async (tx) => {
      // Checked again inside the write: another process may have seeded the shop since.
      const [again] = await tx.select({ n: count() }).from(products)
      if ((again?.n ?? 0) > 0) return false
      const ids = new Map<string, { productId: number; stockId: number; counterId: number | null; title: string; priceFen: number }>()
      for (const [index, demo] of DEMO_PRODUCTS.entries()) {
        const cat = categoryId(demo.category)
        if (cat === undefined) throw new Error(`category ${demo.category} is not seeded`)
        const counter = demo.limitedEdition ? (await tx.insert(counters).values({}).returning())[0] : undefined
        // A product with variants sells through them only: its own stock is closed (decision 047).
        const [stockRow] = await tx.insert(stock).values({ capacity: demo.variants ? 0 : (demo.capacity ?? null), counterId: counter?.id ?? null }).returning()
        const weekStart = demo.published.week === 'this' ? thisWeek : lastWeek
        const weekEnd = demo.published.week === 'this' ? now : thisWeek
        const publishedAt = new Date(weekStart.getTime() + Math.floor((weekEnd.getTime() - weekStart.getTime()) * demo.published.at))
        const [product] = await tx
          .insert(products)
          .values({
            slug: demo.slug,
            title: demo.title,
            categoryId: cat,
            summary: demo.summary,
            description: demo.description,
            priceFen: demo.price * 100,
            minRank: demo.minRank ?? 0,
            gatedVisibility: demo.hidden ? 'hidden' : 'visible',
            saleStartsAt: demo.opensTomorrowAt === undefined ? null : new Date(tomorrow.getTime() + demo.opensTomorrowAt * HOUR_MS),
            stockId: stockRow!.id,
            limitedEdition: demo.limitedEdition ?? false,
            perMemberLimit: demo.perMemberLimit ?? null,
            personalisationLabel: demo.personalisation?.label ?? null,
            personalisationMaxLength: demo.personalisation?.max ?? null,
            mystery: demo.mystery ?? false,
            options: demo.variants ? [{ name: demo.variants.option, values: demo.variants.values.map((v) => v.value) }] : [],
            published: true,
            publishedAt,
            createdAt: publishedAt,
            updatedAt: publishedAt,
          })
          .returning()
        const prices = Object.entries(demo.memberPrices ?? {}).flatMap(([slug, yuan]) => {
          const id = tierId(slug)
          return id === undefined ? [] : [{ productId: product!.id, tierId: id, priceFen: yuan * 100 }]
        })
        if (prices.length > 0) await tx.insert(productTierPrices).values(prices)
        for (const [position, variant] of (demo.variants?.values ?? []).entries()) {
          const [variantStock] = await tx.insert(stock).values({ capacity: variant.capacity, counterId: counter?.id ?? null }).returning()
          await tx.insert(productVariants).values({
            productId: product!.id,
            optionValues: [variant.value],
            stockId: variantStock!.id,
            priceOffsetFen: (variant.offset ?? 0) * 100,
            sku: variant.sku,
            position,
          })
        }
        const photo = photos[index]!
        await tx.insert(media).values(
          [photo.thumb, photo.large].map((r) => ({ id: r.id, kind: 'image' as const, mimeType: r.mimeType, bytes: r.bytes, path: r.path, originalName: `${demo.slug}.png` })),
        )
        await tx.insert(productImages).values({ productId: product!.id, position: 0, thumbMediaId: photo.thumb.id, largeMediaId: photo.large.id, alt: demo.title })
        ids.set(demo.slug, { productId: product!.id, stockId: stockRow!.id, counterId: counter?.id ?? null, title: demo.title, priceFen: demo.price * 100 })
      }

      const buyers = await tx
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(inArray(users.email, ['tiegan@zhiyin.local', 'qinqing@zhiyin.local', 'user@zhiyin.local']))
      const buyerId = (who: string) => buyers.find((b) => b.email === `${who}@zhiyin.local`)?.id
      // In payment order, so edition numbers follow it.
      for (const sale of [...DEMO_SALES].sort((a, b) => b.daysAgo - a.daysAgo)) {
        const userId = buyerId(sale.buyer)
        const item = ids.get(sale.slug)
        if (userId === undefined || !item) continue
        const paidAt = new Date(now.getTime() - sale.daysAgo * DAY_MS)
        let numbers: number[] = []
        if (item.counterId !== null) {
          const [counter] = await tx.select().from(counters).where(eq(counters.id, item.counterId))
          numbers = Array.from({ length: sale.qty }, (_, i) => counter!.value + i + 1)
          await tx.update(counters).set({ value: counter!.value + sale.qty }).where(eq(counters.id, item.counterId))
        }
        const [order] = await tx
          .insert(orders)
          .values({
            userId,
            kind: 'goods',
            state: sale.state,
            totalFen: item.priceFen * sale.qty,
            expiresAt: new Date(paidAt.getTime() - HOUR_MS / 2),
            provider: 'test',
            providerPaymentId: `demo-${sale.slug}-${sale.buyer}`,
            shipping: DEMO_ADDRESS,
            carrier: sale.state === 'paid' ? null : '顺丰速运',
            trackingNumber: sale.state === 'paid' ? null : `SF10${String(item.productId).padStart(4, '0')}${sale.buyer.length}`,
            paidAt,
            shippedAt: sale.state === 'paid' ? null : new Date(paidAt.getTime() + DAY_MS),
            completedAt: sale.state === 'completed' ? new Date(paidAt.getTime() + 3 * DAY_MS) : null,
            createdAt: new Date(paidAt.getTime() - 5 * 60_000),
            updatedAt: paidAt,
          })
          .returning()
        const [line] = await tx
          .insert(orderLines)
          .values({ orderId: order!.id, stockId: item.stockId, productId: item.productId, title: item.title, qty: sale.qty, unitPriceFen: item.priceFen, numbers })
          .returning()
        await tx.insert(holds).values({ stockId: item.stockId, orderId: order!.id, lineId: line!.id, userId, qty: sale.qty, state: 'sold', expiresAt: order!.expiresAt, createdAt: order!.createdAt, updatedAt: paidAt })
        // Every paid order has the payment that paid it (what a refund gives back).
        await tx.insert(paymentEvents).values({
          provider: 'test',
          eventId: `demo-${sale.slug}-${sale.buyer}`,
          orderId: order!.id,
          type: 'test.payment_succeeded',
          amountFen: order!.totalFen,
          currency: order!.currency,
          providerPaymentId: order!.providerPaymentId,
          outcome: 'paid',
          receivedAt: paidAt,
        })
        const [levels] = await tx.select().from(stock).where(eq(stock.id, item.stockId))
        await tx.update(stock).set({ sold: levels!.sold + sale.qty }).where(eq(stock.id, item.stockId))
      }
      return true
    })
  } catch (error) {
    await discardRenditions(photos.flatMap((p) => [p.thumb, p.large]))
    throw error
  }
  if (!seeded) await discardRenditions(photos.flatMap((p) => [p.thumb, p.large]))
  return seeded ? DEMO_PRODUCTS.length : 0
}
