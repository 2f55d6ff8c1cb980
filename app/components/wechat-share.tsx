import { useLocation } from '@remix-run/react'
import { useEffect } from 'react'
import { isWechatBrowser } from '~/utils/share-meta'
import { configureWechatShare } from '~/utils/wechat-share.client'

/** In WeChat's browser, gives every page its share card (after each navigation). Renders nothing. */
export function WechatShare() {
  const { pathname, search } = useLocation()
  useEffect(() => {
    if (!isWechatBrowser(navigator.userAgent)) return
    configureWechatShare().catch(() => {})
  }, [pathname, search])
  return null
}
