import type { StaffRole } from '../../db/schema'
import { requireAuth } from './auth.server'

const ROLE_RANK: Record<StaffRole, number> = { user: 0, editor: 1, admin: 2 }

/** True when `role` includes `needed`: an admin can do everything an editor can. */
export function hasRole(role: StaffRole, needed: StaffRole) {
  return ROLE_RANK[role] >= ROLE_RANK[needed]
}

/** The signed-in user with at least that staff role; else 403 (or a redirect to /login). */
export async function requireRole(request: Request, role: Exclude<StaffRole, 'user'>) {
  const auth = await requireAuth(request)
  if (!hasRole(auth.user.role, role)) {
    throw new Response('没有权限访问此页面', { status: 403, statusText: 'Forbidden' })
  }
  return auth.user
}
