// 划线与笔记 (issue 17, decision 045): a 铁杆 member selects text in the 文稿 of a lesson of the
// included 商业 course with the mouse, writes a note, sees the highlight drawn again after a
// reload, and finds the note on /account/notes, whose link leads back to the highlight. On a
// touch screen a selection is highlighted with 「划线」 the same way.
import { readFile } from 'node:fs/promises'
import { expect, test, type Page } from '@playwright/test'
import { DEMO, expectSignedInAs, logInWithPassword, SITE_URL } from './support'

const LESSON = '/courses/business-models/flywheel'

function transcript(page: Page) {
  return page.locator('section[aria-labelledby="transcript"] .prose-zhiyin')
}

test('a 铁杆 member highlights a passage, writes a note, and finds it on /account/notes', async ({ page }) => {
  await logInWithPassword(page, DEMO.tiegan)
  await expectSignedInAs(page, DEMO.tiegan.name)
  await page.goto(LESSON)
  await expect(page.getByRole('heading', { level: 2, name: '文稿' })).toBeVisible()
  const note = `飞轮要先转起来 ${Date.now().toString(36)}`

  await test.step('selecting a paragraph with the mouse offers 划线 and 写笔记', async () => {
    // A triple click selects the paragraph, as a reader does.
    await transcript(page).locator('p').first().click({ clickCount: 3 })
    const toolbar = page.getByRole('toolbar', { name: '划线与笔记' })
    await expect(toolbar.getByRole('button', { name: '划线' })).toBeVisible()
    await toolbar.getByRole('button', { name: '写笔记' }).click()
  })

  await test.step('the note is saved; the highlight is drawn and the note listed under the 文稿', async () => {
    const composer = page.getByRole('form', { name: '写笔记' })
    await expect(composer.locator('blockquote')).toContainText('飞轮效应')
    await composer.getByLabel('笔记').fill(note)
    await composer.getByRole('button', { name: '保存笔记' }).click()
    await expect(page.getByRole('status').filter({ hasText: '笔记已保存' })).toBeVisible()
    await expect(transcript(page).locator('mark[data-note]').first()).toContainText('飞轮效应')
    await expect(page.getByRole('region', { name: /我的划线与笔记/ }).getByRole('paragraph').filter({ hasText: note })).toBeVisible()
  })

  await test.step('after a reload the highlight is still drawn (by the server: no script needed)', async () => {
    await page.reload()
    await expect(transcript(page).locator('mark[data-note]').first()).toBeVisible()
    const html = await (await page.request.get(LESSON)).text()
    expect(html).toMatch(/<mark [^>]*data-note="\d+"/)
  })

  await test.step('/account/notes lists it under the course and lesson and links back to the highlight', async () => {
    await page.goto('/account')
    await page.getByRole('link', { name: /我的笔记/ }).click()
    await expect(page).toHaveURL(`${SITE_URL}/account/notes`)
    const course = page.getByRole('region', { name: /商业模式的底层逻辑/ })
    await expect(course.getByRole('heading', { level: 3, name: '飞轮效应' })).toBeVisible()
    const item = course.getByRole('listitem').filter({ hasText: note })
    await expect(item.locator('blockquote')).toContainText('飞轮效应')
    await expect(course.getByRole('link', { name: '导出 Markdown' })).toHaveAttribute('href', '/account/notes/export?course=business-models')
    await item.getByRole('link', { name: '在文稿中查看' }).click()
    await expect(page).toHaveURL(new RegExp(`${LESSON}#note-\\d+$`))
    const anchor = new URL(page.url()).hash
    await expect(page.locator(anchor)).toBeAttached()
    await expect(page.locator(`${anchor} + mark`)).toBeInViewport()
  })

  await test.step('「导出 Markdown」 downloads a .md file with the note', async () => {
    await page.goto('/account/notes')
    const download = page.waitForEvent('download')
    await page.getByRole('link', { name: '导出全部（Markdown）' }).click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(/\.md$/)
    expect(await readFile((await file.path())!, 'utf8')).toContain(note)
  })
})

test.describe('on a touch screen', () => {
  test.use({ hasTouch: true, isMobile: true, viewport: { width: 375, height: 740 } })

  test('a selection made by touch is highlighted with 「划线」', async ({ page }) => {
    await logInWithPassword(page, DEMO.tiegan)
    await expectSignedInAs(page, DEMO.tiegan.name)
    await page.goto(LESSON)
    // A long press selects words on a phone; the page sees the same selection and selectionchange.
    await transcript(page).evaluate((element) => {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent!.indexOf('时间站在你这一边')
        if (at >= 0) return document.getSelection()!.setBaseAndExtent(node, at, node, at + 8)
      }
      throw new Error('the passage is not in the 文稿')
    })
    await page.getByRole('toolbar', { name: '划线与笔记' }).getByRole('button', { name: '划线' }).tap()
    await expect(page.getByRole('status').filter({ hasText: '已划线' })).toBeVisible()
    await expect(transcript(page).locator('mark[data-note]').filter({ hasText: /^时间站在你这一边$/ }).first()).toBeVisible()
    const mine = page.getByRole('region', { name: /我的划线与笔记/ })
    await expect(mine.locator('blockquote').filter({ hasText: /^时间站在你这一边$/ }).first()).toBeVisible()
  })
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('the 文稿 reads with the highlights drawn, and a note is edited with the plain form', async ({ page }) => {
    await logInWithPassword(page, DEMO.tiegan)
    await expectSignedInAs(page, DEMO.tiegan.name)
    // A highlight of the whole paragraph, made through the page's form as the script would send it.
    await page.goto(LESSON)
    const text = (await transcript(page).textContent())!
    const quote = text.trim()
    const startOffset = text.indexOf(quote)
    const made = await page.request.post(LESSON, {
      form: { intent: 'highlight', startOffset: String(startOffset), endOffset: String(startOffset + quote.length), quote, note: '' },
      // The site refuses a POST from another origin (a browser's form sends this one).
      headers: { Origin: SITE_URL },
      maxRedirects: 0,
    })
    expect(made.status()).toBe(302)
    await page.reload()
    await expect(transcript(page).locator('mark[data-note]').first()).toBeVisible()
    const edited = `没有脚本也能改 ${Date.now().toString(36)}`
    const card = page.getByRole('region', { name: /我的划线与笔记/ }).getByRole('listitem').last()
    await card.getByText(/添加笔记|编辑笔记/).click()
    await card.getByRole('textbox', { name: '笔记' }).fill(edited)
    await card.getByRole('button', { name: '保存笔记' }).click()
    await expect(page.getByRole('status').filter({ hasText: '笔记已保存' })).toBeVisible()
    await expect(page.getByRole('region', { name: /我的划线与笔记/ }).getByRole('paragraph').filter({ hasText: edited })).toBeVisible()
  })
})
