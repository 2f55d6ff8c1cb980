// The home page's 本周上新 row: the shop's newest, as this viewer may see them.
import { describe, expect, it } from 'vitest'
import { loader as homeLoader } from '~/routes/_index'
import { createTestProduct } from '../factories/cart'
import { requestFor, routeArgs } from '../factories/requests'
import { createTestUser, signedInCookie } from '../factories/users'

describe('本周上新 on the home page', () => {
  it('shows up to four products published this week, hiding those hidden below the viewer’s tier', async () => {
    const open = await createTestProduct({ title: '本周新书' })
    const hidden = await createTestProduct({ title: '铁杆内部款', minRank: 2, gatedVisibility: 'hidden' })
    await createTestProduct({ title: '未发布', published: false })

    const asVisitor = await homeLoader(routeArgs(requestFor('/')))
    const titles = asVisitor.newThisWeek.map((p) => p.title)
    expect(titles).toContain(open.title)
    expect(titles).not.toContain(hidden.title)
    expect(titles).not.toContain('未发布')

    const { user } = await createTestUser({ tier: 'tiegan' })
    const { cookie } = await signedInCookie(user.id)
    const asTiegan = await homeLoader(routeArgs(requestFor('/', { cookie })))
    expect(asTiegan.newThisWeek.map((p) => p.title)).toContain(hidden.title)

    for (let i = 0; i < 4; i++) await createTestProduct()
    expect((await homeLoader(routeArgs(requestFor('/')))).newThisWeek).toHaveLength(4)
  })
})
