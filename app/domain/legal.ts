// The site's two legal texts (《用户协议》 and 《隐私政策》): their slugs and where they are read.
// The text itself is data an admin edits (legal_documents, decision 040); this module imports
// nothing, so the footer, the sign-up form and the schema can all use it.

export const LEGAL_DOCUMENT_SLUGS = ['terms', 'privacy'] as const
export type LegalDocumentSlug = (typeof LEGAL_DOCUMENT_SLUGS)[number]

export function isLegalDocumentSlug(value: unknown): value is LegalDocumentSlug {
  return (LEGAL_DOCUMENT_SLUGS as readonly unknown[]).includes(value)
}

export const legalPath = (slug: LegalDocumentSlug) => `/legal/${slug}`
