import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import {
  data,
  MaxPartSizeExceededError,
  unstable_composeUploadHandlers,
  unstable_createMemoryUploadHandler,
  type UploadHandler,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { Checkbox, ProductEditor, Stat } from '~/components/shop'
import { VariantEditor } from '~/components/variant-editor'
import { fenToYuan } from '~/domain/drop'
import { parseOptionsForm, parseVariantsForm } from '~/domain/variant-forms.server'
import { saveProductOptions, saveVariants } from '~/models/variant.server'
import { FormError, Field } from '~/components/field'
import { ProductShippingForm } from '~/components/shipping-fee'
import { Badge, Button, buttonClass, Card, PageTitle } from '~/components/ui'
import { MAX_IMAGES_PER_PRODUCT } from '~/domain/media-types'
import { availableUnits, mediaUrl } from '~/domain/product'
import {
  capacityForm,
  imageActionForm,
  parseProductForm,
  productEditorValues,
  submittedEditorValues,
  type ProductEditorValues,
} from '~/domain/product-forms.server'
import { adminZhCN } from '~/i18n/admin.zh-CN'
import { errorsZhCN, siteZhCN } from '~/i18n/core.zh-CN'
import { shippingAdminZhCN } from '~/i18n/shippingAdmin.zh-CN'
import { shopZhCN } from '~/i18n/shop.zh-CN'
import { variantAdminZhCN } from '~/i18n/variantAdmin.zh-CN'
import { listTiers } from '~/models/membership.server'
import {
  addProductImages,
  deleteProduct,
  deleteProductImage,
  getProductForSale,
  isProductDeletable,
  listCategories,
  listProductImages,
  moveProductImage,
  numbersIssued,
  setProductCapacity,
  updateProduct,
} from '~/models/product.server'
import { getShippingRule, setProductShippingFee, shippingRuleText } from '~/models/shipping.server'
import { parseProductShippingForm } from '~/domain/shipping-forms.server'
import { getEnv } from '~/utils/env.server'
import { redirectWithFlash } from '~/utils/flash.server'
import { parseForm, type FieldErrors } from '~/utils/forms'
import { parseMultipartForm } from '~/utils/multipart.server'
import { requireRole } from '~/utils/permissions.server'
import { discardRenditions } from '~/utils/image-upload.server'
import { prepareProductImage, type PreparedImage } from '~/utils/product-images.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { admin: adminZhCN, errors: errorsZhCN, shop: shopZhCN, site: siteZhCN, variantAdmin: variantAdminZhCN }

const a = t.shop.admin

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${a.editTitle}：${data.product.title} · ${t.admin.title} · ${t.site.name}` }] : []

const notFound = () => new Response(a.errors.notFound, { status: 404 })

function productId(param: string | undefined) {
  const id = Number(param)
  if (!Number.isInteger(id) || id <= 0) throw notFound()
  return id
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'admin')
  const id = productId(params.id)
  const product = await getProductForSale(id)
  if (!product) throw notFound()
  const [images, categories, tiers, issued, deletable, shippingRule] = await Promise.all([
    listProductImages(id),
    listCategories(),
    listTiers(),
    numbersIssued(product.stock.counterId),
    isProductDeletable(product.stockIds),
    getShippingRule(),
  ])
  const timeZone = getEnv().SITE_TIMEZONE
  return {
    product: { id: product.id, slug: product.slug, title: product.title, published: product.published, limitedEdition: product.limitedEdition },
    stock: { ...product.stock, available: availableUnits(product.stock), numbersIssued: issued },
    images: images.map((image) => ({ id: image.id, thumbUrl: mediaUrl(image.thumbMediaId), largeUrl: mediaUrl(image.largeMediaId) })),
    categories: categories.map(({ id, name }) => ({ id, name })),
    tiers: tiers.map(({ rank, name }) => ({ rank, name })),
    timeZone,
    values: productEditorValues({ ...product, capacity: product.stock.capacity }, { timeZone, categoryId: null }),
    options: product.options,
    variants: product.variants.map((variant) => ({
      id: variant.id,
      label: variant.optionValues.join(' / '),
      capacity: variant.stock.capacity,
      sold: variant.stock.sold,
      held: variant.stock.held,
      offsetYuan: variant.priceOffsetFen === 0 ? '' : `${variant.priceOffsetFen < 0 ? '-' : ''}${fenToYuan(Math.abs(variant.priceOffsetFen))}`,
      sku: variant.sku ?? '',
    })),
    maxImages: MAX_IMAGES_PER_PRODUCT,
    deletable,
    shipping: {
      mode: product.shippingFeeFen === null ? ('default' as const) : product.shippingFeeFen === 0 ? ('free' as const) : ('fee' as const),
      fee: product.shippingFeeFen ? fenToYuan(product.shippingFeeFen) : '',
      rule: shippingRuleText(shippingRule),
    },
  }
}

/** Which form the errors belong to: the editor, the stock form, the photos or deleting. */
type ActionData = { scope: 'editor' | 'capacity' | 'shipping' | 'images' | 'remove' | 'options' | 'variants'; errors: FieldErrors; values?: ProductEditorValues }
const fail = (scope: ActionData['scope'], errors: FieldErrors, status = 400, values?: ProductEditorValues) =>
  data<ActionData>({ scope, errors, values }, { status })

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin')
  const id = productId(params.id)
  const back = `/admin/products/${id}`
  if (request.headers.get('Content-Type')?.startsWith('multipart/form-data')) return uploadImages(request, id, admin.id, back)

  const formData = await request.formData()
  switch (formData.get('intent')) {
    case 'save': {
      const current = await getProductForSale(id)
      if (!current) throw notFound()
      const [categories, tiers] = await Promise.all([listCategories(), listTiers()])
      const values = submittedEditorValues(formData)
      const form = parseProductForm(formData, {
        tiers,
        categoryIds: categories.map((c) => c.id),
        timeZone: getEnv().SITE_TIMEZONE,
        mode: { kind: 'edit', capacity: current.stock.capacity },
      })
      if (!form.ok) return fail('editor', form.errors, 400, values)
      const { capacity: _unchanged, ...input } = form.data
      const saved = await updateProduct({ id, input, actorId: admin.id, now: new Date() })
      if (!saved) throw notFound()
      if (!saved.ok) return fail('editor', saved.errors, 400, values)
      return redirectWithFlash(back, { kind: 'success', message: a.saved })
    }
    case 'capacity': {
      const form = parseForm(capacityForm, formData)
      if (!form.ok) return fail('capacity', form.errors)
      const result = await setProductCapacity({ productId: id, capacity: form.data.capacity, actorId: admin.id })
      if (!result) throw notFound()
      if (!result.ok) return fail('capacity', result.errors)
      return redirectWithFlash(back, { kind: 'success', message: a.capacitySaved })
    }
    case 'shipping': {
      const form = parseProductShippingForm(formData)
      if (!form.ok) return fail('shipping', form.errors)
      if (!(await setProductShippingFee({ productId: id, feeFen: form.data.feeFen, actorId: admin.id, now: new Date() }))) throw notFound()
      return redirectWithFlash(back, { kind: 'success', message: shippingAdminZhCN.productSaved })
    }
    case 'options': {
      const form = parseOptionsForm(formData)
      if (!form.ok) return fail('options', form.errors)
      const saved = await saveProductOptions({ productId: id, options: form.data, actorId: admin.id, now: new Date() })
      if (!saved) throw notFound()
      if (!saved.ok) return fail('options', saved.errors, 409)
      return redirectWithFlash(back, { kind: 'success', message: t.variantAdmin.optionsSaved })
    }
    case 'variants': {
      const product = await getProductForSale(id)
      if (!product) throw notFound()
      const form = parseVariantsForm(
        formData,
        product.variants.map((variant) => variant.id),
      )
      if (!form.ok) return fail('variants', form.errors)
      const saved = await saveVariants({ productId: id, rows: form.data, actorId: admin.id, now: new Date() })
      if (!saved) throw notFound()
      if (!saved.ok) return fail('variants', saved.errors, saved.errors.form ? 409 : 400)
      return redirectWithFlash(back, { kind: 'success', message: t.variantAdmin.variantsSaved })
    }
    case 'move':
    case 'delete': {
      const form = parseForm(imageActionForm, formData)
      if (!form.ok) return fail('images', form.errors)
      const done =
        form.data.intent === 'move'
          ? await moveProductImage({ productId: id, imageId: form.data.imageId, direction: form.data.direction, actorId: admin.id })
          : await deleteProductImage({ productId: id, imageId: form.data.imageId, actorId: admin.id })
      if (!done) return fail('images', { form: a.errors.imageNotFound }, 404)
      return redirectWithFlash(back, { kind: 'success', message: form.data.intent === 'move' ? a.images.moved : a.images.deleted })
    }
    case 'remove': {
      if (formData.get('confirm') !== 'yes') return fail('remove', { confirm: a.remove.confirmRequired })
      const removed = await deleteProduct({ productId: id, actorId: admin.id })
      if (!removed) throw notFound()
      if (!removed.ok) return fail('remove', { form: a.errors.ordered }, 409)
      return redirectWithFlash('/admin/products', { kind: 'success', message: a.remove.done(removed.title) })
    }
    default:
      return fail('editor', { form: t.errors.invalidChoice })
  }
}

/**
 * Photos arrive as `images` parts; each is checked and resized as it streams in. The whole body
 * is capped before it is read (server/request-guards.ts), each photo here.
 */
async function uploadImages(request: Request, id: number, actorId: number, back: string) {
  const prepared: { image: PreparedImage; name: string }[] = []
  const images: UploadHandler = async ({ name, filename, data: chunks }) => {
    if (name !== 'images' || !filename) return undefined
    if (prepared.length >= MAX_IMAGES_PER_PRODUCT) {
      // Drain the part without keeping it.
      for await (const _ of chunks) void _
      prepared.push({ image: { ok: false, error: a.errors.tooManyImages(MAX_IMAGES_PER_PRODUCT), status: 400 }, name: filename })
      return undefined
    }
    prepared.push({ image: await prepareProductImage(chunks), name: filename })
    return filename
  }
  const ok = () => prepared.flatMap((p) => (p.image.ok ? [p.image] : []))
  let parsed
  try {
    parsed = await parseMultipartForm(request, unstable_composeUploadHandlers(images, unstable_createMemoryUploadHandler({ maxPartSize: 10_000 })))
  } catch (error) {
    await discardRenditions(ok().flatMap((i) => [i.thumb, i.large]))
    // The form has no text field anywhere near this long: the sender's mistake, not ours.
    if (error instanceof MaxPartSizeExceededError) return fail('images', { images: t.errors.malformedUpload })
    throw error
  }
  if (!parsed.ok) {
    await discardRenditions(ok().flatMap((i) => [i.thumb, i.large]))
    return fail('images', { images: t.errors.malformedUpload })
  }
  const refused = prepared.find((p) => !p.image.ok)
  if (refused || prepared.length === 0) {
    await discardRenditions(ok().flatMap((i) => [i.thumb, i.large]))
    if (!refused) return fail('images', { images: a.errors.noFile })
    const image = refused.image as Extract<PreparedImage, { ok: false }>
    return fail('images', { images: `${refused.name}：${image.error}` }, image.status)
  }
  const result = await addProductImages({ productId: id, images: ok(), originalNames: prepared.map((p) => p.name), actorId, maxImages: MAX_IMAGES_PER_PRODUCT })
  if (!result) throw notFound()
  if (!result.ok) return fail('images', { images: result.error })
  return redirectWithFlash(back, { kind: 'success', message: a.images.uploaded(result.added) })
}

export default function EditProduct() {
  const { product, stock, images, categories, tiers, timeZone, values, maxImages, deletable, shipping, options, variants } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting'
  const errorsFor = (scope: ActionData['scope']) => (actionData?.scope === scope ? actionData.errors : {})
  const count = (n: number | null) => (n === null ? a.unlimited : n)
  return (
    <div className="mx-auto max-w-3xl space-y-5">
      <div>
        <p className="mb-2 text-sm">
          <Link to="/admin/products" className="text-stone-600 hover:text-brand-700 hover:underline">
            ← {a.back}
          </Link>
        </p>
        <PageTitle
          subtitle={
            <span className="flex flex-wrap items-center gap-2">
              <Badge tone={product.published ? 'green' : 'stone'}>{product.published ? a.published : a.draft}</Badge>
              {product.limitedEdition ? <Badge tone="red">{t.shop.badges.limited}</Badge> : null}
              <Link to={`/shop/p/${product.slug}`} className="text-sm text-brand-700 underline">
                {a.view}
              </Link>
            </span>
          }
        >
          {product.title}
        </PageTitle>
      </div>

      <Card>
        <h2 className="mb-3 text-base font-semibold text-stone-900">{a.sections.stockLive}</h2>
        <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
          <Stat label={a.columns.sold} value={stock.sold} />
          <Stat label={a.columns.held} value={stock.held} tone={stock.held > 0 ? 'amber' : 'stone'} />
          <Stat label={a.columns.available} value={count(stock.available)} tone="green" />
          <Stat label={a.columns.capacity} value={count(stock.capacity)} />
        </dl>
        {product.limitedEdition ? <p className="mt-2 text-xs text-stone-500">{a.editionCounter(stock.numbersIssued)}</p> : null}
        {/* With variants each has its own stock, set in the 规格 card (decision 047). */}
        {variants.length > 0 ? (
          <p className="mt-3 text-sm text-stone-600">{t.variantAdmin.capacityFromVariants}</p>
        ) : (
          <Form method="post" className="mt-4 grid gap-3 sm:grid-cols-[1fr_auto] sm:items-start" noValidate>
            <input type="hidden" name="intent" value="capacity" />
            <Field
              label={a.fields.newCapacity}
              name="capacity"
              defaultValue={stock.capacity === null ? '' : String(stock.capacity)}
              error={errorsFor('capacity').capacity}
              hint={a.fields.newCapacityHint}
              inputMode="numeric"
            />
            <Button type="submit" variant="secondary" disabled={busy} className="sm:mt-6">
              {a.setCapacity}
            </Button>
          </Form>
        )}
      </Card>

      <VariantEditor options={options} rows={variants} optionErrors={errorsFor('options')} variantErrors={errorsFor('variants')} busy={busy} />

      <Card>
        <h2 className="mb-3 text-base font-semibold text-stone-900">{shippingAdminZhCN.productTitle}</h2>
        <ProductShippingForm values={shipping} errors={errorsFor('shipping')} busy={busy} />
      </Card>

      <Card>
        <h2 className="mb-3 text-base font-semibold text-stone-900">{a.sections.images}</h2>
        <FormError error={errorsFor('images').form} />
        {images.length === 0 ? (
          <p className="text-sm text-stone-500">{a.images.none}</p>
        ) : (
          <ul className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            {images.map((image, index) => (
              <li key={image.id} className="overflow-hidden rounded-xl border border-stone-200">
                <a href={image.largeUrl} className="relative block">
                  <img src={image.thumbUrl} alt="" width={480} height={480} className="aspect-square w-full object-cover" />
                  {index === 0 ? (
                    <span className="absolute left-1.5 top-1.5">
                      <Badge tone="brand">{a.images.cover}</Badge>
                    </span>
                  ) : null}
                </a>
                <Form method="post" className="flex divide-x divide-stone-200 border-t border-stone-200 text-xs">
                  <input type="hidden" name="imageId" value={image.id} />
                  <input type="hidden" name="direction" value={index === 0 ? 'down' : 'up'} />
                  <button type="submit" name="intent" value="move" disabled={busy || images.length < 2} className="flex-1 py-2 hover:bg-stone-50 disabled:opacity-40">
                    {index === 0 ? a.images.moveDown : a.images.moveUp}
                  </button>
                  <button type="submit" name="intent" value="delete" disabled={busy} className="flex-1 py-2 text-red-700 hover:bg-red-50 disabled:opacity-40">
                    {a.images.delete}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
        {images.length < maxImages ? (
          <Form method="post" encType="multipart/form-data" className="mt-4 grid gap-3 sm:grid-cols-[1fr_auto] sm:items-start">
            <Field
              label={a.images.upload}
              name="images"
              type="file"
              accept="image/jpeg,image/png,image/webp"
              multiple
              error={errorsFor('images').images}
              hint={a.images.uploadHint}
              className="[&_input]:py-2 [&_input]:text-sm [&_input]:file:mr-3 [&_input]:file:rounded-md [&_input]:file:border-0 [&_input]:file:bg-brand-50 [&_input]:file:px-3 [&_input]:file:py-1.5 [&_input]:file:font-medium [&_input]:file:text-brand-800"
            />
            <Button type="submit" variant="secondary" disabled={busy} className="sm:mt-6">
              {a.images.uploadSubmit}
            </Button>
          </Form>
        ) : null}
      </Card>

      <div>
        <h2 className="sr-only">{a.editTitle}</h2>
        <FormError error={errorsFor('editor').form} />
        <ProductEditor
          defaults={actionData?.scope === 'editor' && actionData.values ? actionData.values : values}
          errors={errorsFor('editor')}
          categories={categories}
          tiers={tiers}
          timeZone={timeZone}
          mode="edit"
          submitting={busy}
        />
      </div>
      <p className="text-sm">
        <Link to={`/shop/p/${product.slug}`} className={buttonClass('ghost', 'px-0')}>
          {a.view} →
        </Link>
      </p>

      <Card>
        <h2 className="mb-2 text-base font-semibold text-stone-900">{a.sections.remove}</h2>
        {deletable ? (
          <Form method="post" className="space-y-3" noValidate>
            <p className="text-sm text-stone-600">{a.remove.explain}</p>
            <FormError error={errorsFor('remove').form} />
            <Checkbox name="confirm" value="yes" label={a.remove.confirm} error={errorsFor('remove').confirm} />
            <Button type="submit" name="intent" value="remove" variant="danger" disabled={busy}>
              {a.remove.submit}
            </Button>
          </Form>
        ) : (
          <p className="text-sm text-stone-600">{a.remove.ordered}</p>
        )}
      </Card>
    </div>
  )
}
