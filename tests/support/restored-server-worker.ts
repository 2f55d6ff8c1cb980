// What a server does first on a restored database, in a process of its own (the test that
// restores a backup): the start-up of server/main.ts (setupDatabase: migrations and the fixed
// seeds, production mode so no demo data), one pass of the hold-release job, then one more sale
// of the numbered stock STOCK_ID, paid. Prints what happened as JSON. DATABASE_URL comes from
// the parent test.
import { setupDatabase } from '../../db/setup'
import { confirmPayment, placeOrder, releaseExpiredHolds } from '~/models/commerce.server'
import { databaseHandle } from '~/utils/db.server'

const stockId = Number(process.env.STOCK_ID)
const buyerId = Number(process.env.BUYER_ID)
await setupDatabase(databaseHandle, { nodeEnv: 'production', log: () => {} })
const released = await releaseExpiredHolds(new Date())
const now = new Date()
const placed = await placeOrder({ userId: buyerId, kind: 'goods', lines: [{ stockId, qty: 1, unitPriceFen: 6800, title: '恢复后的第一单', takesNumbers: true }], now })
if (!placed.ok) throw new Error(`the first order after the restore was refused: ${placed.reason}`)
const { order } = placed
const payment = await confirmPayment(
  { provider: 'test', eventId: `evt_restored_${order.id}`, orderId: order.id, type: 'test.payment_succeeded', amountFen: order.totalFen, currency: 'CNY', providerPaymentId: `pay_restored_${order.id}` },
  now,
)
const { rows } = await databaseHandle.client.execute({ sql: 'SELECT numbers FROM order_lines WHERE order_id = ?', args: [order.id] })
console.log(JSON.stringify({ released: released.length, outcome: payment.outcome, orderId: order.id, numbers: JSON.parse(String(rows[0]!.numbers)) as number[] }))
databaseHandle.close()
process.exit(0)
