// The app as a process started with another environment would load it: sets the variables
// (undefined unsets one), drops the loaded modules and reads the environment at once (the
// describe blocks are collected before any test runs, so later imports see this one).
import { vi } from 'vitest'

export async function startWithEnvironment(env: Record<string, string | undefined>) {
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key]
    else process.env[key] = value
  }
  vi.resetModules()
  ;(await import('~/utils/env.server')).getEnv()
}
