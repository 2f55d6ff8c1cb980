/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ['**/*.css', '**/*.test.*'],
  serverModuleFormat: 'esm',
  serverPlatform: 'node',
  // scripts/bundle-size.ts builds into a directory of its own so that measuring never replaces
  // the build a running server or the e2e tests use.
  assetsBuildDirectory: process.env.REMIX_ASSETS_BUILD_DIRECTORY || 'public/build',
  serverBuildPath: process.env.REMIX_SERVER_BUILD_PATH || 'build/index.js',
  // Tailwind v4 runs through postcss.config.js; Remix's `tailwind` flag targets v3.
  postcss: true,
  tailwind: false,
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_singleFetch: true,
    v3_lazyRouteDiscovery: true,
  },
}
