import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { ProductEditor } from '~/components/shop'
import { PageTitle } from '~/components/ui'
import { parseProductForm, productEditorValues, submittedEditorValues, type ProductEditorValues } from '~/domain/product-forms.server'
import { adminZhCN } from '~/i18n/admin.zh-CN'
import { siteZhCN } from '~/i18n/core.zh-CN'
import { shopZhCN } from '~/i18n/shop.zh-CN'
import { listTiers } from '~/models/membership.server'
import { createProduct, listCategories } from '~/models/product.server'
import { getEnv } from '~/utils/env.server'
import { redirectWithFlash } from '~/utils/flash.server'
import type { FieldErrors } from '~/utils/forms'
import { requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { admin: adminZhCN, shop: shopZhCN, site: siteZhCN }

const a = t.shop.admin

export const meta: MetaFunction = () => [{ title: `${a.newTitle} · ${t.admin.title} · ${t.site.name}` }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin')
  const [categories, tiers] = await Promise.all([listCategories(), listTiers()])
  const timeZone = getEnv().SITE_TIMEZONE
  return {
    categories: categories.map(({ id, name }) => ({ id, name })),
    tiers: tiers.map(({ rank, name }) => ({ rank, name })),
    timeZone,
    values: productEditorValues(null, { timeZone, categoryId: categories[0]?.id ?? null }),
  }
}

type ActionData = { errors: FieldErrors; values: ProductEditorValues }

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin')
  const formData = await request.formData()
  const [categories, tiers] = await Promise.all([listCategories(), listTiers()])
  const fail = (errors: FieldErrors) => data<ActionData>({ errors, values: submittedEditorValues(formData) }, { status: 400 })
  const form = parseProductForm(formData, {
    tiers,
    categoryIds: categories.map((c) => c.id),
    timeZone: getEnv().SITE_TIMEZONE,
    mode: { kind: 'create' },
  })
  if (!form.ok) return fail(form.errors)
  const { capacity, ...input } = form.data
  const saved = await createProduct({ input, capacity, actorId: admin.id, now: new Date() })
  if (!saved.ok) return fail(saved.errors)
  return redirectWithFlash(`/admin/products/${saved.product.id}`, { kind: 'success', message: a.created })
}

export default function NewProduct() {
  const { categories, tiers, timeZone, values } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  return (
    <div className="mx-auto max-w-3xl">
      <p className="mb-2 text-sm">
        <Link to="/admin/products" className="text-stone-600 hover:text-brand-700 hover:underline">
          ← {a.back}
        </Link>
      </p>
      <PageTitle>{a.newTitle}</PageTitle>
      <ProductEditor
        defaults={actionData?.values ?? values}
        errors={actionData?.errors ?? {}}
        categories={categories}
        tiers={tiers}
        timeZone={timeZone}
        mode="create"
        submitting={navigation.state === 'submitting'}
      />
    </div>
  )
}
