// 《用户协议》 and 《隐私政策》 (decision 040): read by /legal/:slug, edited by an admin.
import { eq } from 'drizzle-orm'
import { legalDocuments } from '../../db/schema'
import type { LegalDocumentSlug } from '~/domain/legal'
import { db, transaction } from '~/utils/db.server'
import { recordAudit } from './audit.server'

export async function getLegalDocument(slug: LegalDocumentSlug) {
  const [document] = await db.select().from(legalDocuments).where(eq(legalDocuments.slug, slug))
  return document ?? null
}

export function listLegalDocuments() {
  return db.select({ slug: legalDocuments.slug, title: legalDocuments.title, updatedAt: legalDocuments.updatedAt }).from(legalDocuments)
}

/**
 * Replaces a document's title and text, audit-logged in the same transaction. Returns false when
 * the document does not exist (the seed writes both, so only a damaged database lacks one).
 */
export async function updateLegalDocument({
  slug,
  title,
  body,
  actorId,
  now = new Date(),
}: {
  slug: LegalDocumentSlug
  title: string
  body: string
  actorId: number
  now?: Date
}) {
  return transaction(async (tx) => {
    const [updated] = await tx
      .update(legalDocuments)
      .set({ title, body, updatedAt: now, updatedBy: actorId })
      .where(eq(legalDocuments.slug, slug))
      .returning({ slug: legalDocuments.slug })
    if (!updated) return false
    await recordAudit({ actorId, action: 'legal.update', targetType: 'legal', targetId: slug, detail: { title, length: [...body].length } }, tx)
    return true
  })
}
