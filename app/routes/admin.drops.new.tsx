import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { DropForm } from '~/components/drop'
import { Card, PageTitle } from '~/components/ui'
import { fenToYuan } from '~/domain/drop'
import { parseDropForm } from '~/domain/drop-forms.server'
import { addDays, localDate } from '~/domain/time'
import { dropsZhCN } from '~/i18n/drops.zh-CN'
import { createDrop } from '~/models/drop.server'
import { listTiers } from '~/models/membership.server'
import { getEnv } from '~/utils/env.server'
import { redirectWithFlash } from '~/utils/flash.server'
import type { FieldErrors } from '~/utils/forms'
import { requireRole } from '~/utils/permissions.server'

// The catalogue areas this module reads, imported one by one (decision 028).
const t = { drops: dropsZhCN }

const a = t.drops.admin

async function paidTiers() {
  return (await listTiers()).filter((tier) => tier.rank > 0)
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin')
  const timeZone = getEnv().SITE_TIMEZONE
  const tomorrow = addDays(localDate(new Date(), timeZone), 1)!
  // Memberships bought in the drop run a year: until the day before the same date next year.
  const validUntil = addDays(`${Number(tomorrow.slice(0, 4)) + 1}${tomorrow.slice(4)}`, -1)!
  return {
    values: { name: a.defaultName(Number(tomorrow.slice(0, 4))), opensAt: `${tomorrow}T10:00`, closesAt: `${tomorrow}T22:00`, announcement: '' },
    tiers: (await paidTiers()).map((tier) => ({
      tierId: tier.id,
      name: tier.name,
      offered: true,
      price: fenToYuan(tier.priceFen),
      capacity: '',
      validUntil,
      taken: 0,
    })),
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, 'admin')
  const now = new Date()
  const tiers = await paidTiers()
  const form = parseDropForm(await request.formData(), { tierIds: tiers.map((tier) => tier.id), timeZone: getEnv().SITE_TIMEZONE })
  if (!form.ok) return data<{ errors: FieldErrors }>({ errors: form.errors }, { status: 400 })
  const result = await createDrop({ input: form.data, actorId: admin.id, now })
  if (!result.ok) return data<{ errors: FieldErrors }>({ errors: result.errors }, { status: 400 })
  return redirectWithFlash(`/admin/drops/${result.drop.id}`, { kind: 'success', message: a.created(result.drop.name) })
}

export default function NewDrop() {
  const { values, tiers } = useLoaderData<typeof loader>()
  const errors = useActionData<typeof action>()?.errors ?? {}
  const navigation = useNavigation()
  return (
    <div>
      <PageTitle subtitle={a.subtitle}>{a.newTitle}</PageTitle>
      <Card>
        <Form method="post" noValidate>
          <DropForm values={values} tiers={tiers} errors={errors} locked={false} submitLabel={a.saveCreate} submitting={navigation.state === 'submitting'} />
        </Form>
      </Card>
    </div>
  )
}
