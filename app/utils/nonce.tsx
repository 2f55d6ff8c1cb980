import { createContext, useContext } from 'react'

// The per-request CSP nonce (set by the server) for the inline scripts Remix renders; none on a
// page whose scripts are allowed by their hashes (docs/decisions/012-csp-for-cached-pages.md).
const NonceContext = createContext<string | undefined>(undefined)
export const NonceProvider = NonceContext.Provider
export const useNonce = () => useContext(NonceContext)
