import { navZhCN } from '~/i18n/core.zh-CN'
import { HeaderIconLink } from './header-icon-link'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { nav: navZhCN }

/**
 * The header's cart: a link to /cart for everyone, visitors included, with how many lines the
 * cart holds (issue 18: the cart could not be reached from the header at all).
 */
export function CartLink({ lines }: { lines: number }) {
  return (
    <HeaderIconLink to="/cart" label={t.nav.cartWith(lines)} count={lines}>
      <circle cx="9" cy="20" r="1.3" />
      <circle cx="18" cy="20" r="1.3" />
      <path d="M2.5 3.5h2.6l2.3 11.2a1.6 1.6 0 0 0 1.6 1.3h8.7a1.6 1.6 0 0 0 1.6-1.2l1.6-6.8H6.1" />
    </HeaderIconLink>
  )
}
