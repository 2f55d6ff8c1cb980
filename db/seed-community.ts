// Demo threads for the community boards, seeded with the demo accounts so the boards are not
// empty: three job posts (one remote, one 求职), three sharing threads, a few replies (one quoting
// another), one pinned thread and one featured. Times are relative to `now`.
import { count, inArray } from 'drizzle-orm'
import { boards, replies, threads, users } from './schema'
import type { DatabaseHandle } from './client'

const HOUR_MS = 60 * 60 * 1000
const DAY_MS = 24 * HOUR_MS

type DemoAuthor = 'tiegan' | 'qinqing'

interface DemoReply {
  author: DemoAuthor
  hoursAfter: number
  body: string
  /** Index of an earlier reply in the same thread that this one quotes. */
  quotes?: number
}

interface DemoThread {
  board: 'jobs' | 'sharing'
  author: DemoAuthor
  daysAgo: number
  title: string
  body: string
  pinned?: boolean
  featured?: boolean
  job?: {
    jobKind: 'hiring' | 'seeking'
    city: string | null
    remote: boolean
    salaryMin: number | null
    salaryMax: number | null
    contact: string
    days: number
  }
  replies?: DemoReply[]
}

const AUTHORS: Record<DemoAuthor, string> = { tiegan: 'tiegan@zhiyin.local', qinqing: 'qinqing@zhiyin.local' }

export const DEMO_THREADS: DemoThread[] = [
  {
    board: 'jobs',
    author: 'tiegan',
    daysAgo: 2,
    title: '【北京】知识付费内容编辑，偏音频方向',
    body: '我们是一家做音频课程的小团队（12 人），在找一位内容编辑：\n\n- 负责课程选题、大纲和逐字稿的打磨\n- 能和主讲老师一起改稿，对“讲清楚”有执念\n- 有音频或播客经验优先\n\n双休，朝阳区望京，试用期 3 个月。欢迎会员朋友内推。',
    pinned: true,
    job: { jobKind: 'hiring', city: '北京', remote: false, salaryMin: 15000, salaryMax: 22000, contact: '微信 zhiyin-demo-01', days: 30 },
    replies: [
      { author: 'qinqing', hoursAfter: 3, body: '请问应届生可以投吗？我做过两年校园广播台的编辑。' },
      { author: 'tiegan', hoursAfter: 5, body: '可以的，欢迎把作品一起发过来，我们更看重稿子本身。', quotes: 0 },
    ],
  },
  {
    board: 'jobs',
    author: 'qinqing',
    daysAgo: 4,
    title: '【远程】独立开发者招兼职前端，React + Tailwind',
    body: '一个读书笔记小工具，需要一位兼职前端一起把移动端体验做好。\n\n每周投入 10 小时左右，全程远程，按月结算。希望你写过 React，注重无障碍和细节。',
    job: { jobKind: 'hiring', city: null, remote: true, salaryMin: 6000, salaryMax: 9000, contact: '邮箱 demo-02@zhiyin.local', days: 45 },
    replies: [{ author: 'tiegan', hoursAfter: 20, body: '已私信，顺便问一下是否接受半年以上的长期合作？' }],
  },
  {
    board: 'jobs',
    author: 'tiegan',
    daysAgo: 1,
    title: '【求职】五年用户运营，求上海或杭州的社群运营岗位',
    body: '五年用户运营经验，做过两个万人付费社群从 0 到 1，熟悉活动策划、会员体系和数据复盘。\n\n期望城市上海或杭州，可以随时到岗。简历可私信索取。',
    job: { jobKind: 'seeking', city: '上海', remote: false, salaryMin: 18000, salaryMax: null, contact: '微信 zhiyin-demo-03', days: 30 },
  },
  {
    board: 'sharing',
    author: 'qinqing',
    daysAgo: 3,
    title: '坚持听了 100 天每日语音，我的三个变化',
    body: '从去年冬天开始，每天早上通勤路上听一期 60 秒语音，再回复关键词读全文。一百天下来：\n\n1. **早起变容易了**：有一件小事在等着你。\n2. **读书更有方向**：每期提到的书，我都记在一个清单里，已经读完 9 本。\n3. **敢开口表达了**：开始在社群里写分享，这就是第一篇。\n\n你们有什么坚持的小习惯？',
    featured: true,
    replies: [
      { author: 'tiegan', hoursAfter: 2, body: '同感！我是每天晚上睡前把当天的关键词写进日记里。' },
      { author: 'qinqing', hoursAfter: 4, body: '这个方法好，我也试试，写一句话就够了。', quotes: 0 },
      { author: 'tiegan', hoursAfter: 9, body: '书单可以分享出来吗？想抄作业 😄' },
    ],
  },
  {
    board: 'sharing',
    author: 'tiegan',
    daysAgo: 6,
    title: '读《置身事内》笔记：看懂地方财政的一把钥匙',
    body: '这本书把“土地财政”讲得很透。记下三点：\n\n- 地方政府既是裁判员也是运动员\n- 基础设施投资的钱从哪里来，到哪里去\n- 债务问题不是会计问题，而是发展模式问题\n\n> 理解中国经济，先理解地方政府的激励。\n\n推荐配合最近两期的每日语音一起读。',
  },
  {
    board: 'sharing',
    author: 'qinqing',
    daysAgo: 0,
    title: '分享一个用番茄钟读长书的办法',
    body: '长书读不下去，就把它切成 25 分钟一段：每段结束用一句话写下“这一段讲了什么”。一周下来，一本 400 页的书也能稳稳推进。',
  },
]

/** Seeds the demo threads; returns how many were created (none when a board or author is missing). */
export async function seedDemoCommunity(handle: DatabaseHandle, { now = new Date() }: { now?: Date } = {}) {
  const { db } = handle
  const boardRows = await db.select().from(boards)
  const authorRows = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(inArray(users.email, Object.values(AUTHORS)))
  const boardId = (slug: string) => boardRows.find((b) => b.slug === slug)?.id
  const authorId = (who: DemoAuthor) => authorRows.find((u) => u.email === AUTHORS[who])?.id
  if (!boardId('jobs') || !boardId('sharing') || !authorId('tiegan') || !authorId('qinqing')) return 0

  // Into boards without threads only, decided inside the write: never twice beside another process.
  return handle.transaction(async (tx) => {
    const [existing] = await tx.select({ n: count() }).from(threads)
    if ((existing?.n ?? 0) > 0) return 0
    let created = 0
    for (const demo of DEMO_THREADS) {
      const createdAt = new Date(now.getTime() - demo.daysAgo * DAY_MS - 2 * HOUR_MS)
      const replyTimes = (demo.replies ?? []).map((r) => new Date(createdAt.getTime() + r.hoursAfter * HOUR_MS))
      const lastActivityAt = replyTimes.at(-1) ?? createdAt
      const [thread] = await tx
        .insert(threads)
        .values({
          boardId: boardId(demo.board)!,
          authorId: authorId(demo.author)!,
          title: demo.title,
          body: demo.body,
          pinned: demo.pinned ?? false,
          featured: demo.featured ?? false,
          ...(demo.job
            ? {
                jobKind: demo.job.jobKind,
                city: demo.job.city,
                remote: demo.job.remote,
                salaryMin: demo.job.salaryMin,
                salaryMax: demo.job.salaryMax,
                contact: demo.job.contact,
                expiresAt: new Date(createdAt.getTime() + demo.job.days * DAY_MS),
              }
            : {}),
          replyCount: demo.replies?.length ?? 0,
          lastActivityAt,
          createdAt,
        })
        .returning({ id: threads.id })
      const replyIds: number[] = []
      for (const [index, reply] of (demo.replies ?? []).entries()) {
        const [row] = await tx
          .insert(replies)
          .values({
            threadId: thread!.id,
            authorId: authorId(reply.author)!,
            body: reply.body,
            quoteReplyId: reply.quotes === undefined ? null : (replyIds[reply.quotes] ?? null),
            createdAt: replyTimes[index]!,
          })
          .returning({ id: replies.id })
        replyIds.push(row!.id)
      }
      created++
    }
    return created
  })
}
