// Which posts reload the page's loaders. After any form or fetcher post Remix runs every loader
// on the page again, which is right after a change. A post that changes nothing (the daily
// editor's markdown preview, sent as the editor types) should not reload them each time.
import type { ShouldRevalidateFunction } from '@remix-run/react'

/** Actions that only compute an answer and change nothing. */
export const READ_ONLY_ACTIONS: readonly string[] = ['/admin/posts/preview']

/** shouldRevalidate for every route with a loader on a page that posts to a read-only action. */
export const skipReadOnlyActions: ShouldRevalidateFunction = ({ formAction, defaultShouldRevalidate }) =>
  formAction !== undefined && READ_ONLY_ACTIONS.includes(formAction) ? false : defaultShouldRevalidate
