import { auditLog } from '../../db/schema'
import { db, type Executor } from '~/utils/db.server'

export interface AuditEntry {
  actorId: number | null
  action: string
  targetType: string
  targetId: string | number
  detail?: Record<string, unknown>
}

/** Records a staff action; pass the transaction that makes the change so both land together. */
export async function recordAudit(entry: AuditEntry, executor: Executor = db) {
  await executor.insert(auditLog).values({ ...entry, targetId: String(entry.targetId), detail: entry.detail ?? {} })
}

