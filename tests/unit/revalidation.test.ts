// Which posts reload the page's loaders: everything Remix would reload, except read-only actions.
import { describe, expect, it } from 'vitest'
import { skipReadOnlyActions } from '~/utils/revalidation'

type Args = Parameters<typeof skipReadOnlyActions>[0]

function args(formAction: string | undefined, defaultShouldRevalidate: boolean): Args {
  const url = new URL('http://localhost/admin/posts/1')
  return { currentUrl: url, currentParams: {}, nextUrl: url, nextParams: {}, formMethod: formAction ? 'POST' : undefined, formAction, defaultShouldRevalidate } as Args
}

describe('skipReadOnlyActions', () => {
  it('keeps the loaders as they are after the markdown preview', () => {
    expect(skipReadOnlyActions(args('/admin/posts/preview', true))).toBe(false)
  })

  it.each([
    ['a post that changes something', '/admin/posts/1', true],
    ['a navigation', undefined, true],
    ['what Remix would skip anyway', '/admin/posts/1', false],
  ])('follows Remix for %s', (_label, formAction, byDefault) => {
    expect(skipReadOnlyActions(args(formAction, byDefault))).toBe(byDefault)
  })
})
