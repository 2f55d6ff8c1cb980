// What a buyer's order pages show of a line's picture: the product's first photo or the cover of
// the course it bought, as a URL; null leaves the thumbnail to its kind's fallback (OrderThumb).
import { mediaUrl } from '~/domain/product'
import { coursePaths } from './course-view.server'

export interface LinePicture {
  /** The product's first photo (productCoverThumbs), when the line is a product with one. */
  productThumbId: string | null
  /** The course the line bought (joined on its stock), when it is a course order's line. */
  course: { slug: string; coverId: string | null; published: boolean } | null
}

/**
 * The URL of a line's picture, or null. A course's cover is answered to everyone only while the
 * course is published (a draft's is staff-only), so an unpublished course falls back too.
 */
export function linePictureUrl({ productThumbId, course }: LinePicture): string | null {
  if (productThumbId) return mediaUrl(productThumbId)
  if (course?.published && course.coverId) return coursePaths.cover(course.slug, course.coverId)
  return null
}
