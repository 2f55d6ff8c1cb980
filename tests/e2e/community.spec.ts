import { expect, test, type Locator, type Page } from '@playwright/test'
import { DEMO, DEMO_EDITOR, DEMO_TIEGAN, expectSignedInAs, expectSignedOut, flashMessage, logInWithPassword } from './support'

function randomToken() {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
}

/** The thread page's replies section (「回复 (n)」). */
function repliesSection(page: Page) {
  return page.getByRole('region', { name: /^回复/ })
}

/** The threads listed on a board page, in their order. */
function boardThreads(page: Page) {
  return page.getByRole('main').getByRole('list').getByRole('listitem')
}

/**
 * Opens a collapsed form (a <details>: its <summary> has no ARIA role) and waits for the control
 * inside it. Retries: a click that lands while React is hydrating may be undone.
 */
async function openDisclosure(scope: Locator, summary: string, inside: Locator) {
  await expect(async () => {
    if (!(await inside.isVisible())) await scope.locator('summary').filter({ hasText: new RegExp(`^${summary}$`) }).click()
    await expect(inside).toBeVisible({ timeout: 1_000 })
  }).toPass({ timeout: 10_000 })
}

// tiegan may start one thread a minute: the test runs once per server (fresh DATA_DIR per run);
// --repeat-each against one server would be refused (429) on the second round.
test('a member posts a job; a visitor sees it without the contact; another member sees the contact and replies; an editor hides the reply and pins the thread', async ({
  page,
  browser,
}) => {
  const token = randomToken()
  const title = `E2E 招聘前端工程师 ${token}`
  const body = `我们在找一位前端工程师（${token}），熟悉 React 与无障碍。`
  const contact = `微信 e2e-${token}`
  const sentence = `亲情读者的回复 ${token}：请问接受应届生吗？`
  const hideReason = `广告内容 ${token}`
  let threadPath = ''

  await test.step('tiegan (铁杆会员) opens 招聘求职 → 发帖 and posts a 招聘 job', async () => {
    await logInWithPassword(page, DEMO_TIEGAN)
    await expectSignedInAs(page, DEMO_TIEGAN.name)
    await page.goto('/community/jobs')
    await expect(page.getByRole('heading', { level: 1, name: '招聘求职' })).toBeVisible()
    await page.getByRole('link', { name: '发帖', exact: true }).click()
    await expect(page).toHaveURL(/\/community\/new\?board=jobs$/)
    await expect(page.getByRole('heading', { name: '在「招聘求职」发帖' })).toBeVisible()

    await page.getByLabel('标题', { exact: true }).fill(title)
    await page.getByLabel('类型', { exact: true }).selectOption({ label: '招聘' })
    await page.getByLabel('城市', { exact: true }).fill('杭州')
    await page.getByLabel('远程工作（不限城市）').check()
    await page.getByLabel('最低月薪（元/月，选填）').fill('20000')
    await page.getByLabel('最高月薪（元/月，选填）').fill('30000')
    await page.getByLabel('联系方式', { exact: true }).fill(contact)
    await page.getByLabel('正文', { exact: true }).fill(body)
    await page.getByRole('button', { name: '发布主题' }).click()

    await expect(flashMessage(page)).toContainText('主题已发布')
    await expect(page).toHaveURL(/\/community\/t\/\d+$/)
    threadPath = new URL(page.url()).pathname
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible()
    await expect(page.getByRole('article')).toContainText(body)
    const job = page.getByRole('region', { name: '职位信息' })
    await expect(job).toContainText('招聘')
    await expect(job).toContainText('杭州 · 远程')
    await expect(job).toContainText('20,000–30,000 元/月')
    await expect(job.getByText(contact, { exact: true })).toBeVisible()
    await expect(job.getByText('会员可见', { exact: true })).toHaveCount(0)
  })

  const visitor = await browser.newContext()
  const visitorPage = await visitor.newPage()
  await test.step('a visitor sees the job listed, and 「会员可见」 instead of the contact, which never reaches the browser', async () => {
    await visitorPage.goto('/community/jobs')
    await expectSignedOut(visitorPage)
    await expect(visitorPage.getByRole('note').filter({ hasText: '亲情会员及以上可发帖和回复' })).toBeVisible()
    await expect(visitorPage.getByRole('link', { name: '发帖', exact: true })).toHaveCount(0)
    const listed = boardThreads(visitorPage).filter({ hasText: title })
    await expect(listed).toHaveCount(1)
    await expect(listed).toContainText('招聘')
    await expect(listed).not.toContainText(contact)
    await expect(listed.getByText('置顶', { exact: true })).toHaveCount(0)

    await listed.getByRole('link').click()
    await expect(visitorPage).toHaveURL(new RegExp(`${threadPath}$`))
    await expect(visitorPage.getByRole('heading', { level: 1, name: title })).toBeVisible()
    const job = visitorPage.getByRole('region', { name: '职位信息' })
    await expect(job.getByText('会员可见', { exact: true })).toBeVisible()
    await expect(visitorPage.locator('body')).not.toContainText(`e2e-${token}`)
    // Not in the HTML (nor the Remix context in it), nor in the route's data request.
    expect(await visitorPage.content()).not.toContain(`e2e-${token}`)
    const data = await visitorPage.request.get(`${threadPath}.data`)
    expect(data.status()).toBe(200)
    const payload = await data.text()
    expect(payload).toContain(token) // the title and body are there…
    expect(payload).not.toContain(`e2e-${token}`) // …the contact is not
  })

  const member = await browser.newContext()
  const memberPage = await member.newPage()
  await test.step('qinqing (亲情会员) sees the contact and replies', async () => {
    await logInWithPassword(memberPage, DEMO.qinqing)
    await expectSignedInAs(memberPage, DEMO.qinqing.name)
    await memberPage.goto(threadPath)
    await expect(memberPage.getByRole('region', { name: '职位信息' }).getByText(contact, { exact: true })).toBeVisible()
    await expect(repliesSection(memberPage)).toContainText('还没有回复')

    await memberPage.getByLabel('写下你的回复').fill(sentence)
    await memberPage.getByRole('button', { name: '发表回复' }).click()
    await expect(flashMessage(memberPage)).toContainText('回复已发表')
    const reply = repliesSection(memberPage).getByRole('listitem').filter({ hasText: sentence })
    await expect(reply).toBeVisible()
    await expect(reply).toContainText(DEMO.qinqing.name)
  })

  const editor = await browser.newContext()
  const editorPage = await editor.newPage()
  await test.step('the editor hides the reply with a reason: gone for the visitor, marked hidden for the editor', async () => {
    await logInWithPassword(editorPage, DEMO_EDITOR)
    await expectSignedInAs(editorPage, DEMO_EDITOR.name)
    await editorPage.goto(threadPath)
    // Staff see the contact too.
    await expect(editorPage.getByRole('region', { name: '职位信息' }).getByText(contact, { exact: true })).toBeVisible()

    // The visitor sees the reply before it is hidden.
    await visitorPage.reload()
    await expect(repliesSection(visitorPage).getByText(sentence)).toBeVisible()

    const reply = repliesSection(editorPage).getByRole('listitem').filter({ hasText: sentence })
    const moderation = reply.getByRole('group', { name: '管理' })
    const reason = moderation.getByLabel('隐藏理由')
    await openDisclosure(moderation, '隐藏', reason)
    await reason.fill(hideReason)
    await moderation.getByRole('button', { name: '隐藏', exact: true }).click()

    await expect(flashMessage(editorPage)).toContainText('已隐藏')
    await expect(reply.getByRole('note')).toContainText(`已隐藏：${hideReason}`)
    await expect(reply).toContainText(sentence)
    await expect(moderation.getByRole('button', { name: '恢复' })).toBeVisible()

    await visitorPage.reload()
    await expect(visitorPage.getByRole('heading', { level: 1, name: title })).toBeVisible()
    await expect(repliesSection(visitorPage)).toContainText('还没有回复')
    expect(await visitorPage.content()).not.toContain(sentence)
    expect(await (await visitorPage.request.get(`${threadPath}.data`)).text()).not.toContain(sentence)
  })

  await test.step('the editor pins the thread: 置顶, first on 招聘求职', async () => {
    const moderation = editorPage.getByRole('article').getByRole('group', { name: '管理' })
    await moderation.getByRole('button', { name: '置顶', exact: true }).click()
    await expect(flashMessage(editorPage)).toContainText('已置顶')
    await expect(moderation.getByRole('button', { name: '取消置顶' })).toBeVisible()
    // The badge (the button now reads 取消置顶).
    await expect(editorPage.getByRole('article').getByText('置顶', { exact: true })).toBeVisible()

    await visitorPage.goto('/community/jobs')
    const first = boardThreads(visitorPage).first()
    await expect(first).toContainText(title)
    await expect(first.getByText('置顶', { exact: true })).toBeVisible()
  })

  await Promise.all([visitor.close(), member.close(), editor.close()])
})
