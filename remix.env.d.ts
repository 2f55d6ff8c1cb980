/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />
import '@remix-run/server-runtime'

declare module '@remix-run/server-runtime' {
  interface AppLoadContext {
    /** The client's address as the Express server sees it (after trusted proxies). */
    clientIp?: string
    /** Nonce for this response's Content-Security-Policy (inline scripts). */
    cspNonce?: string
    /** Set when a loader or action met a database busy past its deadline: the answer becomes 503. */
    databaseBusy?: { seen: boolean }
  }
}

declare module '@remix-run/node' {
  // Types loader data for single fetch (the v3_singleFetch future flag in remix.config.js).
  interface Future {
    v3_singleFetch: true
  }
}
