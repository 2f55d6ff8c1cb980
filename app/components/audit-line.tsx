import { Link } from '@remix-run/react'
import type { AuditSentence } from '~/domain/audit-sentence'

/**
 * One audit entry as a sentence: 「管理员 延长招募 会员招募 #1」, then what changed and when (site
 * time). On the page of the thing itself (`ownPage`) the thing is not named again.
 */
export function AuditLine({ entry, ownPage = false }: { entry: AuditSentence & { actorName: string; at: string }; ownPage?: boolean }) {
  return (
    <>
      <span className="font-medium text-stone-900">{entry.actorName}</span> {entry.verb}{' '}
      {ownPage ? null : entry.target.href ? (
        <Link to={entry.target.href} className="text-brand-700 underline underline-offset-2 hover:text-brand-800">
          {entry.target.label}
        </Link>
      ) : (
        entry.target.label
      )}
      {entry.details.length > 0 ? <span className="text-stone-700">：{entry.details.join('；')}</span> : null}
      <span className="block text-xs text-stone-600">{entry.at}</span>
    </>
  )
}
