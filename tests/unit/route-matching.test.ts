// Route matching as the server does it, with the branches and patterns kept between requests
// (patches/@remix-run+router+1.23.3.patch, decision 054): the same answers as before, none shared
// between requests, and the route tree flattened once.
import { createRequire } from 'node:module'
import type { AgnosticRouteObject, matchPath as MatchPath, matchRoutes as MatchRoutes } from '@remix-run/router'
import { describe, expect, it } from 'vitest'

// The CommonJS build, which @remix-run/server-runtime requires (an ESM import gets the browser's).
const requireFromServerRuntime = createRequire(createRequire(import.meta.url).resolve('@remix-run/server-runtime'))
const { matchRoutes, matchPath } = requireFromServerRuntime('@remix-run/router') as { matchRoutes: typeof MatchRoutes; matchPath: typeof MatchPath }

function appRoutes(): AgnosticRouteObject[] {
  return [
    {
      id: 'root',
      path: '',
      children: [
        { id: 'index', index: true },
        { id: 'courses', path: 'courses' },
        { id: 'course', path: 'courses/:slug' },
        { id: 'lesson', path: 'courses/:slug/:lesson' },
        { id: 'certificate', path: 'courses/:slug/certificate' },
        { id: 'daily', path: 'daily/:date?' },
        { id: 'product', path: 'shop/p/:slug' },
        { id: 'feed', path: 'feed.xml' },
        {
          id: 'admin',
          path: 'admin',
          children: [
            { id: 'admin-index', index: true },
            { id: 'admin-course', path: 'courses/:id' },
          ],
        },
        { id: 'case', path: 'Legal/Terms', caseSensitive: true },
        { id: 'splat', path: '*' },
      ],
    },
  ]
}

function matched(routes: AgnosticRouteObject[], pathname: string) {
  const matches = matchRoutes(routes, pathname)
  return matches && { ids: matches.map((match) => match.route.id), params: matches.at(-1)?.params }
}

describe('route matching on the server', () => {
  it('matches as Remix ranks routes: static before dynamic, optional and splat segments, case', () => {
    const routes = appRoutes()
    // Twice each: the second answer comes from the kept branches and patterns.
    for (let round = 0; round < 2; round++) {
      expect(matched(routes, '/')).toEqual({ ids: ['root', 'index'], params: {} })
      expect(matched(routes, '/courses/history-101/certificate')).toEqual({ ids: ['root', 'certificate'], params: { slug: 'history-101' } })
      expect(matched(routes, '/courses/history-101/lesson-3')).toEqual({ ids: ['root', 'lesson'], params: { slug: 'history-101', lesson: 'lesson-3' } })
      expect(matched(routes, '/daily')).toEqual({ ids: ['root', 'daily'], params: { date: undefined } })
      expect(matched(routes, '/daily/2026-12-06')).toEqual({ ids: ['root', 'daily'], params: { date: '2026-12-06' } })
      expect(matched(routes, '/shop/p/%E5%8D%AB%E8%A1%A3')).toEqual({ ids: ['root', 'product'], params: { slug: '卫衣' } })
      expect(matched(routes, '/ADMIN/courses/7/')).toEqual({ ids: ['root', 'admin', 'admin-course'], params: { id: '7' } })
      expect(matched(routes, '/Legal/Terms')?.ids).toEqual(['root', 'case'])
      expect(matched(routes, '/legal/terms')).toEqual({ ids: ['root', 'splat'], params: { '*': 'legal/terms' } })
    }
  })

  it('gives each request its own matches and params', () => {
    const routes = appRoutes()
    const first = matchRoutes(routes, '/courses/a/b')!
    ;(first.at(-1)!.params as Record<string, string>).slug = 'changed by the first request'
    const second = matchRoutes(routes, '/courses/a/b')!
    expect(second.at(-1)!.params).toEqual({ slug: 'a', lesson: 'b' })
    expect(second).not.toBe(first)
  })

  it('keeps a pattern compiled for each way of matching it (to the end or not, case or not)', () => {
    expect(matchPath({ path: '/courses/:slug', end: true }, '/courses/a/b')).toBeNull()
    expect(matchPath({ path: '/courses/:slug', end: false }, '/courses/a/b')?.params).toEqual({ slug: 'a' })
    expect(matchPath({ path: '/Courses', caseSensitive: true }, '/courses')).toBeNull()
    expect(matchPath({ path: '/Courses', caseSensitive: false }, '/courses')?.pathname).toBe('/courses')
  })

  it('flattens a route tree once, however many requests it matches', () => {
    let pathReads = 0
    const counted = appRoutes()
    for (const child of counted[0]?.children ?? []) {
      const path = child.path
      Object.defineProperty(child, 'path', {
        get() {
          pathReads++
          return path
        },
      })
    }
    matchRoutes(counted, '/courses/a')
    const afterFirst = pathReads
    expect(afterFirst).toBeGreaterThan(0)
    for (const pathname of ['/courses/a', '/shop/p/b', '/admin', '/nowhere']) matchRoutes(counted, pathname)
    expect(pathReads).toBe(afterFirst)
  })
})
