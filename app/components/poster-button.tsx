import { shareZhCN } from '~/i18n/share.zh-CN'
import { buttonClass } from './ui'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { share: shareZhCN }

/** 生成海报: opens the page's poster PNG (in WeChat the reader long-presses it to save or send). */
export function PosterButton({ href, className = 'mt-6' }: { href: string; className?: string }) {
  return (
    <div className={`${className} flex flex-wrap items-center gap-x-3 gap-y-1`}>
      <a href={href} target="_blank" rel="noopener" className={buttonClass('secondary')}>
        {t.share.posterButton}
      </a>
      <span className="text-xs text-stone-500">{t.share.posterHint}</span>
    </div>
  )
}
