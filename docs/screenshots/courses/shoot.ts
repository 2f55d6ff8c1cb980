// The signed-in screenshots of docs/screenshots/courses (README.md there): a lesson with a highlight
// and its note, and the admin's course editor, each at 375×812 and 1280×900, full page, as PNG in
// the output directory; then every PNG there (the visitor pages' too) becomes a JPEG (quality 70)
// beside this file. Run against a server on a freshly seeded DATA_DIR:
//   nice -n 10 npx tsx docs/screenshots/courses/shoot.ts http://127.0.0.1:3541 /tmp/shots
// The demo accounts are the seed's (README.md); the highlight is made once, on 飞轮效应.
import { mkdirSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from '@playwright/test'
import sharp from 'sharp'

const [base = 'http://127.0.0.1:3541', out = '/tmp/zhiyin-course-shots'] = process.argv.slice(2)
const SIZES = [
  [375, 812],
  [1280, 900],
] as const
const LESSON = '/courses/business-models/flywheel'
const PASSAGE = '每一步都在推动下一步'
const NOTE = '飞轮的关键是第一圈：先找到那个能自己转起来的环节。'

async function signedIn(browser: Browser, email: string, password: string, width: number, height: number) {
  const context = await browser.newContext({ baseURL: base, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width, height } })
  const page = await context.newPage()
  await page.goto('/login')
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: '登录', exact: true }) })
  await form.getByLabel('邮箱').fill(email)
  await form.getByLabel('密码', { exact: true }).fill(password)
  await form.getByRole('button', { name: '登录', exact: true }).click()
  await page.getByRole('banner').locator('summary').filter({ hasText: '（账户菜单）' }).waitFor()
  return page
}

/** Highlights PASSAGE with NOTE through the page's own toolbar, unless this reader already has. */
async function ensureNote(page: Page) {
  await page.goto(LESSON)
  const transcript = page.locator('section[aria-labelledby="transcript"] .prose-zhiyin')
  if ((await transcript.locator('mark[data-note]').count()) > 0) return
  await transcript.evaluate((element, passage) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent!.indexOf(passage)
      if (at >= 0) return document.getSelection()!.setBaseAndExtent(node, at, node, at + passage.length)
    }
    throw new Error(`「${passage}」 is not in the 文稿`)
  }, PASSAGE)
  await page.getByRole('toolbar', { name: '划线与笔记' }).getByRole('button', { name: '写笔记' }).click()
  const composer = page.getByRole('form', { name: '写笔记' })
  await composer.getByLabel('笔记').fill(NOTE)
  await composer.getByRole('button', { name: '保存笔记' }).click()
  await page.getByRole('status').filter({ hasText: '笔记已保存' }).waitFor()
}

/** Back to the top: the page may come back scrolled where this browser last left it (Remix's scroll restoration). */
async function top(page: Page) {
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.waitForFunction(() => window.scrollY === 0)
}

mkdirSync(out, { recursive: true })
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
try {
  for (const [width, height] of SIZES) {
    const reader = await signedIn(browser, 'tiegan@zhiyin.local', 'zhiyin-member', width, height)
    await ensureNote(reader)
    await reader.goto(LESSON)
    await reader.locator('mark[data-note]').first().waitFor()
    await top(reader)
    await reader.screenshot({ path: `${out}/lesson-notes-${width}.png`, fullPage: true })
    await reader.context().close()

    const admin = await signedIn(browser, 'admin@zhiyin.local', 'zhiyin-admin', width, height)
    await admin.goto('/admin/courses')
    await admin.getByRole('link').filter({ hasText: '商业模式的底层逻辑' }).first().click()
    await admin.waitForURL(/\/admin\/courses\/\d+$/)
    await admin.getByRole('heading', { level: 2, name: '章节与课时' }).waitFor()
    await top(admin)
    await admin.screenshot({ path: `${out}/admin-course-editor-${width}.png`, fullPage: true })
    await admin.context().close()
  }
} finally {
  await browser.close()
}
// ImageMagick is not installed on these machines; sharp is a dependency of the site.
const here = dirname(fileURLToPath(import.meta.url))
for (const name of readdirSync(out).filter((file) => file.endsWith('.png'))) {
  const info = await sharp(join(out, name))
    .jpeg({ quality: 70, mozjpeg: true })
    .toFile(join(here, name.replace(/\.png$/, '.jpg')))
  console.log(`${name.replace(/\.png$/, '.jpg')}: ${info.width}×${info.height}, ${Math.round(info.size / 1024)} KB`)
}
