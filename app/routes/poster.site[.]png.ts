import type { LoaderFunctionArgs } from '@remix-run/node'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { shareZhCN } from '~/i18n/share.zh-CN'
import { getEnv } from '~/utils/env.server'
import { posterResponse } from '~/utils/poster.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { share: shareZhCN, site: siteZhCN }

// /poster/site.png — the brand's poster: the preview image of pages without a picture of their
// own (/membership, a community thread). The same for everyone.
export async function loader({ request }: LoaderFunctionArgs) {
  const content = {
    kicker: t.site.tagline,
    title: t.share.membershipTitle,
    price: null,
    quote: t.share.membershipDescription,
    caption: t.share.scanToJoin,
    link: `${getEnv().SITE_URL}/membership`,
  }
  return posterResponse(request, content, { cover: null, coverKey: '', personal: false })
}
