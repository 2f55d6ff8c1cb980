// 又一课's 领域 (always, when there are none) and, outside production, three demo courses while
// there are no courses: one included for 铁杆会员, one sold at ¥99, one free. Their media are
// committed under content/courses/media (scripts/make-course-media.sh made them once); each goes
// through the editor's upload path (checked by content, measured, copied into UPLOAD_DIR).
import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { count } from 'drizzle-orm'
import { lessonSeconds } from '~/domain/course'
import type { IngestResult } from '~/models/media.server'
import { courseChapters, courseFields, courseLessons, courses, tiers, type LessonKind, type Media } from './schema'
import type { DatabaseHandle } from './client'

export const DEMO_COURSE_MEDIA_DIR = fileURLToPath(new URL('../content/courses/media', import.meta.url))

export const DEFAULT_COURSE_FIELDS = [
  { slug: 'business', name: '商业', sortOrder: 1 },
  { slug: 'history', name: '历史', sortOrder: 2 },
  { slug: 'science', name: '科学', sortOrder: 3 },
  { slug: 'humanities', name: '人文', sortOrder: 4 },
  { slug: 'psychology', name: '心理', sortOrder: 5 },
] as const

export async function seedCourseFields({ db }: DatabaseHandle) {
  const [existing] = await db.select({ n: count() }).from(courseFields)
  if ((existing?.n ?? 0) > 0) return false
  // Another process may have seeded since the count: the unique slugs keep theirs.
  const created = await db.insert(courseFields).values([...DEFAULT_COURSE_FIELDS]).onConflictDoNothing().returning({ id: courseFields.id })
  return created.length > 0
}

interface DemoLesson {
  /** Names the lesson's page and its files in content/courses/media (<file>.txt is its 文稿). */
  file: string
  slug: string
  title: string
  kind: LessonKind
  preview?: boolean
}

interface DemoCourse {
  slug: string
  title: string
  subtitle: string
  field: (typeof DEFAULT_COURSE_FIELDS)[number]['slug']
  lecturerName: string
  lecturerBio: string
  introduction: string
  priceFen: number | null
  includedTier: 'qinqing' | 'tiegan' | null
  /** Drawn on the cover. */
  colour: string
  /** Days before seeding it was published: the newest sorts first. */
  publishedDaysAgo: number
  chapters: { title: string; lessons: DemoLesson[] }[]
}

export const DEMO_COURSES: readonly DemoCourse[] = [
  {
    slug: 'business-models',
    title: '商业模式的底层逻辑',
    subtitle: '三讲看懂一门生意为什么能赚钱',
    field: 'business',
    lecturerName: '林舟',
    lecturerBio: '前创业公司战略负责人，十年间研究过两百多家公司的商业模式。',
    introduction:
      '三讲短课。你将学到：\n\n- 判断一门生意的**三个问题**\n- 飞轮效应：让时间站在你这一边\n- 四种常见的护城河（配一段短视频）\n\n> 好的商业模式，是替顾客解决真实问题的方式。\n\n铁杆会员可免费学习全部课程。',
    priceFen: null,
    includedTier: 'tiegan',
    colour: '#7c2d12',
    publishedDaysAgo: 3,
    chapters: [
      {
        title: '生意的本质',
        lessons: [
          { file: 'business-01-value', slug: 'value', title: '生意的本质是创造价值', kind: 'audio', preview: true },
          { file: 'business-02-flywheel', slug: 'flywheel', title: '飞轮效应', kind: 'audio' },
        ],
      },
      { title: '长期优势', lessons: [{ file: 'business-03-moat', slug: 'moat', title: '护城河（视频）', kind: 'video' }] },
    ],
  },
  {
    slug: 'song-daily-life',
    title: '宋朝人的日常生活',
    subtitle: '跟着一位汴京人，过一天宋朝的日子',
    field: 'history',
    lecturerName: '沈知白',
    lecturerBio: '宋史研究者，著有《东京梦华录笺注》。',
    introduction:
      '从五更天的早市，到夜里的瓦舍勾栏，三讲带你走进**宋朝的城市生活**。\n\n1. 汴京的早晨（试听）\n2. 点茶与斗茶\n3. 瓦舍勾栏\n\n单独购买后即可收听全部课程。',
    priceFen: 9900,
    includedTier: null,
    colour: '#1e3a8a',
    publishedDaysAgo: 2,
    chapters: [
      {
        title: '一天的开始',
        lessons: [
          { file: 'history-01-morning', slug: 'morning', title: '汴京的早晨', kind: 'audio', preview: true },
          { file: 'history-02-tea', slug: 'tea', title: '点茶与斗茶', kind: 'audio' },
        ],
      },
      { title: '城里的夜晚', lessons: [{ file: 'history-03-market', slug: 'wazi', title: '瓦舍勾栏', kind: 'audio' }] },
    ],
  },
  {
    slug: 'science-of-curiosity',
    title: '好奇心的科学',
    subtitle: '为什么有些问题让人放不下',
    field: 'science',
    lecturerName: '周以宁',
    lecturerBio: '认知科学博士，研究学习动机与好奇心。',
    introduction: '两讲短课：好奇心从哪里来，以及怎样把好奇变成**好问题**。所有读者都可以免费收听。',
    priceFen: 0,
    includedTier: null,
    colour: '#065f46',
    publishedDaysAgo: 1,
    chapters: [
      {
        title: '好奇心',
        lessons: [
          { file: 'science-01-curiosity', slug: 'where-from', title: '好奇心从哪里来', kind: 'audio' },
          { file: 'science-02-questions', slug: 'good-questions', title: '把好奇变成好问题', kind: 'audio' },
        ],
      },
    ],
  },
]

const DAY_MS = 24 * 60 * 60 * 1000

type PreparedLesson = DemoLesson & { mediaId: string; posterId: string | null; durationSeconds: number; transcript: string }

function escapeXml(text: string) {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** A 16:9 cover: the course's title on its colour, the lecturer below. */
export function demoCourseCoverSvg(title: string, lecturer: string, colour: string) {
  const fontSize = Math.min(88, Math.floor(1040 / title.length))
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1280" height="720" viewBox="0 0 1280 720">
<rect width="1280" height="720" fill="${colour}"/>
<circle cx="1100" cy="120" r="260" fill="#fff" fill-opacity="0.08"/>
<circle cx="120" cy="700" r="300" fill="#000" fill-opacity="0.12"/>
<text x="96" y="150" font-family="Noto Sans CJK SC, Noto Sans SC, sans-serif" font-size="36" fill="#fff" fill-opacity="0.75" letter-spacing="8">又一课</text>
<text x="96" y="${380 + fontSize / 3}" font-family="Noto Sans CJK SC, Noto Sans SC, sans-serif" font-size="${fontSize}" font-weight="700" fill="#fff">${escapeXml(title)}</text>
<text x="96" y="600" font-family="Noto Sans CJK SC, Noto Sans SC, sans-serif" font-size="40" fill="#fff" fill-opacity="0.85">${escapeXml(lecturer)} 主讲</text>
</svg>`
}

/**
 * The demo courses, only into a database without courses (outside production). Lessons are all
 * released (the publish time is the seeding moment). Returns how many courses were created.
 */
export async function seedDemoCourses(handle: DatabaseHandle, { now = new Date(), dir = DEMO_COURSE_MEDIA_DIR }: { now?: Date; dir?: string } = {}) {
  const { db } = handle
  const [existing] = await db.select({ n: count() }).from(courses)
  if ((existing?.n ?? 0) > 0) return 0
  // Imported here so that the app's modules (and their env check) load only when seeding.
  const [{ default: sharp }, { deleteMedia, ingestImage, ingestLessonAudio, ingestVideo }, { bufferChunks }] = await Promise.all([
    import('sharp'),
    import('~/models/media.server'),
    import('~/utils/image-upload.server'),
  ])
  const fieldRows = await db.select().from(courseFields)
  const tierRows = await db.select().from(tiers)

  const uploaded: string[] = []
  const keep = (result: IngestResult, what: string): Media => {
    if (!result.ok) throw new Error(`demo course media ${what} was refused: ${result.error}`)
    uploaded.push(result.media.id)
    return result.media
  }
  try {
    const prepared: { demo: DemoCourse; coverId: string; chapters: { title: string; lessons: PreparedLesson[] }[] }[] = []
    for (const demo of DEMO_COURSES) {
      const png = await sharp(Buffer.from(demoCourseCoverSvg(demo.title, demo.lecturerName, demo.colour))).png().toBuffer()
      const cover = keep(await ingestImage({ data: bufferChunks(png), originalName: `${demo.slug}.png`, uploadedBy: null }), `cover of ${demo.slug}`)
      const chapters: { title: string; lessons: PreparedLesson[] }[] = []
      for (const chapter of demo.chapters) {
        const lessons: PreparedLesson[] = []
        for (const lesson of chapter.lessons) {
          const path = join(dir, `${lesson.file}.${lesson.kind === 'video' ? 'mp4' : 'mp3'}`)
          const upload = { data: createReadStream(path), originalName: `${lesson.file}.${lesson.kind === 'video' ? 'mp4' : 'mp3'}`, uploadedBy: null }
          const file = keep(lesson.kind === 'video' ? await ingestVideo(upload) : await ingestLessonAudio(upload), lesson.file)
          const poster =
            lesson.kind === 'video'
              ? keep(await ingestImage({ data: createReadStream(join(dir, `${lesson.file}.jpg`)), originalName: `${lesson.file}.jpg`, uploadedBy: null }), `poster of ${lesson.file}`)
              : null
          const transcript = (await readFile(join(dir, `${lesson.file}.txt`), 'utf8')).trim()
          lessons.push({ ...lesson, mediaId: file.id, posterId: poster?.id ?? null, durationSeconds: lessonSeconds(file.durationMs), transcript })
        }
        chapters.push({ title: chapter.title, lessons })
      }
      prepared.push({ demo, coverId: cover.id, chapters })
    }

    await handle.transaction(async (tx) => {
      for (const { demo, coverId, chapters } of prepared) {
        const publishedAt = new Date(now.getTime() - demo.publishedDaysAgo * DAY_MS)
        const [course] = await tx
          .insert(courses)
          .values({
            slug: demo.slug,
            title: demo.title,
            subtitle: demo.subtitle,
            fieldId: fieldRows.find((field) => field.slug === demo.field)!.id,
            lecturerName: demo.lecturerName,
            lecturerBio: demo.lecturerBio,
            coverId,
            introduction: demo.introduction,
            priceFen: demo.priceFen,
            includedTierId: demo.includedTier ? tierRows.find((tier) => tier.slug === demo.includedTier)!.id : null,
            published: true,
            publishedAt,
            createdAt: publishedAt,
            updatedAt: publishedAt,
          })
          .returning({ id: courses.id })
        for (const [chapterIndex, chapter] of chapters.entries()) {
          const [row] = await tx.insert(courseChapters).values({ courseId: course!.id, title: chapter.title, position: chapterIndex + 1 }).returning({ id: courseChapters.id })
          await tx.insert(courseLessons).values(
            chapter.lessons.map((lesson, lessonIndex) => ({
              courseId: course!.id,
              chapterId: row!.id,
              slug: lesson.slug,
              title: lesson.title,
              kind: lesson.kind,
              mediaId: lesson.mediaId,
              posterId: lesson.posterId,
              durationSeconds: lesson.durationSeconds,
              transcript: lesson.transcript,
              preview: lesson.preview ?? false,
              position: lessonIndex + 1,
              publishAt: publishedAt,
              updatedAt: publishedAt,
            })),
          )
        }
      }
    })
  } catch (error) {
    for (const id of uploaded) await deleteMedia(id)
    throw error
  }
  return DEMO_COURSES.length
}
