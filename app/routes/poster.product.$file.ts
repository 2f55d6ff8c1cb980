import type { LoaderFunctionArgs } from '@remix-run/node'
import { isProductVisible } from '~/domain/product'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { shareZhCN } from '~/i18n/share.zh-CN'
import { shopZhCN } from '~/i18n/shop.zh-CN'
import { getMedia } from '~/models/media.server'
import { getProductForSale, listProductImages } from '~/models/product.server'
import { referralCodeFor } from '~/models/referral.server'
import { getAuth } from '~/utils/auth.server'
import { getEnv } from '~/utils/env.server'
import { formatFen } from '~/utils/format'
import { linkWithReferral, posterNotFound, posterResponse } from '~/utils/poster.server'
import { storedPath } from '~/utils/storage.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { share: shareZhCN, shop: shopZhCN, site: siteZhCN }

// /poster/product/<slug>.png — a product's poster: first image, title, price, summary and a QR
// code of the product page with the sharer's ?ref=. Only what the product page shows anyone who
// may see it: a product hidden from this viewer has no poster (decision 022).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const file = params.file ?? ''
  const slug = file.endsWith('.png') ? file.slice(0, -'.png'.length) : ''
  const now = new Date()
  const [auth, product] = await Promise.all([getAuth(request), slug ? getProductForSale(slug) : undefined])
  const viewer = auth ? { role: auth.user.role, memberships: auth.memberships } : null
  if (!product || !product.published || !isProductVisible(product, viewer, now)) return posterNotFound()
  const code = auth ? await referralCodeFor(auth.user.id) : null
  const [image] = await listProductImages(product.id)
  const cover = image ? await getMedia(image.largeMediaId) : undefined
  const content = {
    kicker: `${t.site.name} · ${t.shop.title}`,
    title: product.title,
    // The listed price: the poster goes to friends, whatever the sharer pays.
    price: formatFen(product.priceFen),
    quote: product.summary || null,
    caption: auth ? t.share.invitedBy(auth.user.displayName) : t.share.scanToRead,
    link: linkWithReferral(`${getEnv().SITE_URL}/shop/p/${encodeURIComponent(product.slug)}`, code),
  }
  return posterResponse(request, content, { cover: cover ? storedPath(cover.path) : null, coverKey: cover?.id ?? '', personal: auth !== null })
}
