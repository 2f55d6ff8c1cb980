import { shareZhCN } from '~/i18n/share.zh-CN'
import { Card } from './ui'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { share: shareZhCN }

/** 「你邀请了 N 位读者」 on /account, with the reader's invitation link. */
export function ReferralCard({ referral }: { referral: { invited: number; link: string } }) {
  const r = t.share.referral
  return (
    <Card>
      <h2 className="mb-1 text-lg font-semibold">{r.title}</h2>
      <p className="text-2xl font-bold text-brand-700">{r.count(referral.invited)}</p>
      <p className="mt-2 text-sm text-stone-600">{r.body}</p>
      <p className="mt-3 text-sm text-stone-600">
        {r.link}
        <span className="break-all font-mono text-stone-900">{referral.link}</span>
      </p>
    </Card>
  )
}
