import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { buttonClass, Card, PageTitle } from '~/components/ui'
import { CERTIFICATE_IMAGE_SIZE } from '~/domain/course'
import { courseCertificateZhCN } from '~/i18n/courseCertificate.zh-CN'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { readOwnCertificate, readSharedCertificate, type Certificate } from '~/utils/certificate-view.server'
import { shareMeta, siteUrlOf } from '~/utils/share-meta'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { certificate: courseCertificateZhCN, site: siteZhCN }
const c = t.certificate

export const meta: MetaFunction<typeof loader> = ({ data: loaded, matches }) => {
  if (!loaded) return []
  const title = { title: `${c.title} · ${loaded.course.title} · ${t.site.name}` }
  if (!loaded.finished) return [title]
  return [
    title,
    ...shareMeta({
      siteUrl: siteUrlOf(matches),
      path: loaded.share.pageUrl,
      title: c.share.alt(loaded.face.name, loaded.face.courseTitle),
      description: c.meta.description(loaded.face.courseTitle, loaded.face.lecturerName),
      image: loaded.share.imageUrl,
      imageAlt: loaded.share.alt,
      imageSize: CERTIFICATE_IMAGE_SIZE,
    }),
  ]
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const now = new Date()
  const slug = params.slug ?? ''
  // ?s=<userId>-<signature>: the link a reader shares. It shows that certificate to anyone,
  // crawlers included (the link preview is the certificate); anything else there is 404.
  const token = new URL(request.url).searchParams.get('s')
  if (token !== null) return { finished: true as const, shared: true, ...(await readSharedCertificate({ slug, token, now })) }
  const own = await readOwnCertificate({ request, context, slug, now })
  // Not finished yet: 403 with what is left, as a locked lesson answers with its way in.
  if (!own.finished) return data(own, { status: 403 })
  return { ...own, shared: false }
}

export default function CertificatePage() {
  const loaded = useLoaderData<typeof loader>()
  if (!loaded.finished) return <Unfinished {...loaded} />
  const { face, course, share, shared } = loaded
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <nav className="text-sm">
        <Link to={`/courses/${course.slug}`} className="font-medium text-brand-700 hover:underline">
          ← {shared ? course.title : c.backToCourse}
        </Link>
      </nav>
      {shared ? <PageTitle>{c.shared.title(face.name)}</PageTitle> : null}
      <CertificateSheet face={face} />
      {shared ? (
        <Card className="text-center">
          <p className="text-sm leading-relaxed text-stone-600">{c.shared.body}</p>
          <Link to={`/courses/${course.slug}`} className={buttonClass('primary', 'mt-4')}>
            {c.shared.cta}
          </Link>
        </Card>
      ) : (
        <Card>
          <h2 className="text-lg font-bold text-stone-900">{c.share.title}</h2>
          <p className="mt-1 text-sm text-stone-600">{c.share.body}</p>
          <a href={share.imagePath} target="_blank" rel="noreferrer" className="mt-4 block">
            <img src={share.imagePath} width={CERTIFICATE_IMAGE_SIZE.width} height={CERTIFICATE_IMAGE_SIZE.height} alt={share.alt} className="h-auto w-full rounded-xl border border-stone-200 shadow-sm" />
          </a>
          <p className="mt-4 text-sm text-stone-600">
            {c.share.link}{' '}
            <a href={share.pagePath} className="break-all font-medium text-brand-700 underline">
              {share.pageUrl}
            </a>
          </p>
          <p className="mt-1 text-xs leading-relaxed text-stone-500">{c.share.linkHint}</p>
          <a href={share.imagePath} target="_blank" rel="noreferrer" className={buttonClass('secondary', 'mt-4 w-full sm:w-auto')}>
            {c.share.open}
          </a>
        </Card>
      )}
    </div>
  )
}

/** The certificate as a page shows it: the same words as its picture, laid out for any width. */
function CertificateSheet({ face }: { face: Certificate['face'] }) {
  return (
    <article
      aria-label={c.heading}
      className="relative rounded-sm border-4 border-double border-amber-700/70 bg-gradient-to-br from-amber-50 to-amber-100 px-5 py-8 text-stone-800 shadow-lg shadow-amber-900/10 sm:px-12 sm:py-12"
    >
      <p className="flex justify-between text-xs tracking-widest text-stone-500 sm:text-sm">
        <span>{c.brand}</span>
        <span className="text-amber-700">{c.brandLatin}</span>
      </p>
      <h1 className="mt-4 text-center font-serif text-3xl font-bold tracking-[0.4em] text-amber-700 sm:text-5xl">{c.heading}</h1>
      <p className="mt-8 text-sm text-stone-500 sm:text-base">{c.certifies}</p>
      <p className="mt-1 border-b border-amber-700/30 pb-2 font-serif text-3xl font-bold break-words text-stone-900 sm:text-4xl">{face.name}</p>
      <p className="mt-5 text-sm text-stone-500 sm:text-base">{c.completed}</p>
      <p className="mt-1 font-serif text-2xl font-bold text-stone-900 sm:text-3xl">《{face.courseTitle}》</p>
      <p className="mt-2 text-sm text-stone-600 sm:text-base">
        {c.lecturer(face.lecturerName)} · {c.lessons(face.lessonCount)}
      </p>
      <dl className="mt-8 grid gap-x-8 gap-y-2 text-sm text-stone-600 sm:grid-cols-2">
        <div className="flex gap-2">
          <dt>{c.finishedOn}</dt>
          <dd className="font-medium text-stone-800">{face.finishedOn}</dd>
        </div>
        <div className="flex gap-2 sm:justify-end">
          <dt>{c.number}</dt>
          <dd className="font-mono font-medium text-stone-800">{face.number}</dd>
        </div>
      </dl>
    </article>
  )
}

function Unfinished({ course, learned, released, remaining }: { course: { slug: string; title: string }; learned: number; released: number; remaining: { slug: string; title: string }[] }) {
  return (
    <div className="mx-auto max-w-xl space-y-4">
      <nav className="text-sm">
        <Link to={`/courses/${course.slug}`} className="font-medium text-brand-700 hover:underline">
          ← {course.title}
        </Link>
      </nav>
      <PageTitle>{c.unfinished.title}</PageTitle>
      <Card>
        {released === 0 ? (
          <p role="status" className="text-stone-700">
            {c.unfinished.none}
          </p>
        ) : (
          <>
            <p role="status" className="text-stone-700">
              {c.unfinished.body(learned, released)}
            </p>
            <ol className="mt-3 list-decimal space-y-1 pl-6">
              {remaining.map((lesson) => (
                <li key={lesson.slug}>
                  <Link to={`/courses/${course.slug}/${lesson.slug}`} className="text-brand-700 underline underline-offset-2">
                    {lesson.title}
                  </Link>
                </li>
              ))}
            </ol>
            {remaining[0] ? (
              <Link to={`/courses/${course.slug}/${remaining[0].slug}`} className={buttonClass('primary', 'mt-5')}>
                {c.unfinished.continue}
              </Link>
            ) : null}
          </>
        )}
      </Card>
    </div>
  )
}
