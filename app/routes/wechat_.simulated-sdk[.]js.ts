// WeChat test mode's stand-in for WeChat's JS-SDK (docs/decisions/022-share-posters-referral.md):
// a page inside WeChat's browser loads this instead of res.wx.qq.com's file, and hands it the same
// `wx.config` and share cards. It checks what WeChat would check first — every field of the config
// present — and records the calls in `window.__wechatSdkCalls` for the demo's curious and the
// end-to-end tests. 404 unless WeChat is in test mode.
import { wechatAuthZhCN } from '~/i18n/wechatAuth.zh-CN'
import { wechatMode } from '~/utils/wechat-api.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { wechatAuth: wechatAuthZhCN }

const SCRIPT = `(function () {
  var calls = (window.__wechatSdkCalls = [])
  var configured = false
  var readyCallbacks = []
  function record(name, data) { calls.push({ name: name, data: JSON.parse(JSON.stringify(data)) }) }
  window.wx = {
    config: function (options) {
      var ok = options && options.appId && options.timestamp && options.nonceStr && /^[0-9a-f]{40}$/.test(options.signature || '')
      record('config', options)
      configured = Boolean(ok)
      if (configured) readyCallbacks.splice(0).forEach(function (callback) { setTimeout(callback, 0) })
    },
    ready: function (callback) { configured ? setTimeout(callback, 0) : readyCallbacks.push(callback) },
    error: function () {},
    updateAppMessageShareData: function (data) { record('updateAppMessageShareData', data) },
    updateTimelineShareData: function (data) { record('updateTimelineShareData', data) },
  }
})()
`

export function loader() {
  if (wechatMode().kind !== 'test') throw new Response(t.wechatAuth.errors.notEnabled, { status: 404 })
  return new Response(SCRIPT, { headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' } })
}
