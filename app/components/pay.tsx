// The pay page's ways to pay (issue 14): one button per method that fits the browser, WeChat Pay
// Native's QR code that turns into 已支付 by itself, and WeChat Pay's JSAPI inside WeChat.
import { Form, useNavigate, useRevalidator } from '@remix-run/react'
import { useEffect, useState } from 'react'
import type { PayMethodName } from '~/domain/pay-methods'
import { paymentsZhCN } from '~/i18n/payments.zh-CN'
import type { WechatJsapiParams } from '~/utils/payments.server'
import { Button } from './ui'

const p = paymentsZhCN
/** How often a page waiting for a payment asks whether it arrived. */
const POLL_MS = 3_000

export function PayMethods({ methods, busy }: { methods: readonly PayMethodName[]; busy: boolean }) {
  return (
    <Form method="post" className="space-y-3">
      <input type="hidden" name="intent" value="checkout" />
      <p className="font-medium text-stone-900">{p.chooseMethod}</p>
      {methods.map((method, index) => (
        <div key={method}>
          <Button name="method" value={method} variant={index === 0 ? 'primary' : 'secondary'} className="w-full" disabled={busy}>
            {p.payButton(p.methods[method] ?? method)}
          </Button>
          {p.methodHints[method] ? <p className="mt-1 text-xs text-stone-500">{p.methodHints[method]}</p> : null}
        </div>
      ))}
    </Form>
  )
}

/** Asks again every few seconds; the loader sends a paid order on to its page. */
function useWaitForPayment() {
  const { revalidate, state } = useRevalidator()
  useEffect(() => {
    const timer = setInterval(() => {
      if (state === 'idle' && document.visibilityState === 'visible') revalidate()
    }, POLL_MS)
    return () => clearInterval(timer)
  }, [revalidate, state])
}

/** WeChat Pay Native's QR code (or, svg null, a payment made and being confirmed), waiting for the payment. */
export function ScanToPay({ svg, busy }: { svg: string | null; busy: boolean }) {
  useWaitForPayment()
  return (
    <div className="text-center">
      {svg ? (
        <>
          <p className="font-medium text-stone-900">{p.scanTitle}</p>
          <p className="mt-1 text-sm text-stone-600">{p.scanHelp}</p>
          {/* The SVG is the site's own drawing of WeChat Pay's code_url (qrcode), not reader input. */}
          <div role="img" aria-label={p.scanAlt} className="mx-auto mt-4 aspect-square w-56 [&>svg]:h-full [&>svg]:w-full" dangerouslySetInnerHTML={{ __html: svg }} />
        </>
      ) : null}
      <p role="status" className="mt-3 text-sm text-stone-600">
        {svg ? p.waitingForPayment : p.confirming}
      </p>
      <Form method="post" className="mt-4 grid gap-3 sm:grid-cols-2">
        <Button name="intent" value="check" variant="secondary" disabled={busy}>
          {p.checkPaid}
        </Button>
        <a href="?methods" className="inline-flex items-center justify-center rounded-lg px-4 py-2 text-sm text-stone-600 underline">
          {p.switchMethod}
        </a>
      </Form>
    </div>
  )
}

interface WeixinJSBridge {
  invoke(name: 'getBrandWCPayRequest', params: WechatJsapiParams, callback: (result: { err_msg: string }) => void): void
}

/** Inside WeChat: hands the signed parameters to WeChat's payment sheet, then waits for the payment. */
export function WechatJsapiPay({ orderId, params }: { orderId: number; params: WechatJsapiParams }) {
  const navigate = useNavigate()
  const [problem, setProblem] = useState<string | null>(null)
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const pay = () => {
      clearTimeout(timer)
      const bridge = (window as unknown as { WeixinJSBridge?: WeixinJSBridge }).WeixinJSBridge
      if (!bridge) return setProblem(p.jsapiUnavailable)
      bridge.invoke('getBrandWCPayRequest', params, ({ err_msg }) => {
        if (err_msg === 'get_brand_wcpay_request:ok') navigate(`/pay/${orderId}?paid`)
        else setProblem(err_msg === 'get_brand_wcpay_request:cancel' ? p.jsapiCancelled : p.jsapiFailed)
      })
    }
    if ((window as unknown as { WeixinJSBridge?: unknown }).WeixinJSBridge) pay()
    else {
      document.addEventListener('WeixinJSBridgeReady', pay, { once: true })
      // Outside WeChat the bridge never comes.
      timer = setTimeout(() => setProblem(p.jsapiUnavailable), 3_000)
      return () => {
        clearTimeout(timer)
        document.removeEventListener('WeixinJSBridgeReady', pay)
      }
    }
  }, [orderId, params, navigate])
  return problem ? (
    <p role="alert" className="mt-3 text-sm text-red-800">
      {problem}
    </p>
  ) : null
}
