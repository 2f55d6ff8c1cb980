// The time left shown by the drop page (距结束还有 …) and a hold's countdown: whole days as days.
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { formatRemaining } from '~/components/countdown'
import { Remaining } from '~/components/drop'

const SECOND = 1000
const DAY = 86_400 * SECOND

describe('the time left', () => {
  it('reads 37 天 01:26:35 for an open drop closing in five weeks, not 889:26:35 (issue 18)', () => {
    const now = Date.UTC(2027, 0, 5, 2)
    const html = renderToStaticMarkup(<Remaining until={now + 37 * DAY + (3600 + 26 * 60 + 35) * SECOND} now={now} />)
    expect(html).toContain('>37 天 01:26:35<')
  })

  it('drops the days, then the hours, as they run out, and never goes below zero', () => {
    expect(formatRemaining(DAY)).toBe('1 天 00:00:00')
    expect(formatRemaining(DAY - SECOND)).toBe('23:59:59')
    expect(formatRemaining(3599 * SECOND)).toBe('59:59')
    expect(renderToStaticMarkup(<Remaining until={0} now={5 * SECOND} />)).toContain('>00:00<')
  })
})
