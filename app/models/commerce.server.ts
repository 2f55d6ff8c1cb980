// The site's commerce: the commerce core (./commerce/index.server.ts) with the features that sell
// through it plugged in (decision 029). Routes, jobs and scripts that place, pay, refund or
// release orders import this module; the features themselves import the core, which imports none
// of them. Loading the shop's checkout, the drop and the courses here is what plugs them in: each defines its
// order kind's rules (and the drop its waitlist's listener) when its module loads, so a payment
// applied through this module never meets an order kind the core has no rules for.
import './checkout.server'
import './drop.server'
import './course-orders.server'

export * from './commerce/index.server'
