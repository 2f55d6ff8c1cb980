// The rules of the site settings (decision 052): where each value comes from, and how the home
// page says the publish time.
import { describe, expect, it } from 'vitest'
import { effectiveSiteSettings, NO_SITE_SETTINGS, spokenTime, supportContactProblem } from '~/domain/site-settings'

const SAVED = { publishTime: '08:15', supportContact: 'zhiyin_kefu', icpNumber: '沪ICP备87654321号' }
const ENVIRONMENT = { publishTime: '07:05', supportContact: 'help@zhiyin.example', icpNumber: '京ICP备12345678号-1' }

describe('effectiveSiteSettings', () => {
  it.each([
    ['what the admin saved, over the environment', SAVED, ENVIRONMENT, SAVED],
    ['the environment where nothing is saved', NO_SITE_SETTINGS, ENVIRONMENT, ENVIRONMENT],
    ['the built-in defaults where neither says anything', NO_SITE_SETTINGS, NO_SITE_SETTINGS, { publishTime: '06:30', supportContact: null, icpNumber: null }],
    ['each setting on its own', { ...NO_SITE_SETTINGS, supportContact: 'zhiyin_kefu' }, { ...NO_SITE_SETTINGS, icpNumber: '京ICP备12345678号-1' }, { publishTime: '06:30', supportContact: 'zhiyin_kefu', icpNumber: '京ICP备12345678号-1' }],
  ])('takes %s', (_, saved, environment, expected) => {
    expect(effectiveSiteSettings(saved, environment)).toEqual(expected)
  })
})

describe('spokenTime', () => {
  it('drops the hour’s leading zero only', () => {
    expect([spokenTime('06:30'), spokenTime('07:05'), spokenTime('10:00'), spokenTime('00:30')]).toEqual(['6:30', '7:05', '10:00', '0:30'])
  })
})

describe('supportContactProblem', () => {
  it('takes an email address or a WeChat ID of 3–60 characters', () => {
    expect([supportContactProblem('help@zhiyin.cn'), supportContactProblem('zhiyin_kefu'), supportContactProblem('知音客服')]).toEqual([null, null, null])
    expect([supportContactProblem('ab'), supportContactProblem('客'.repeat(61)), supportContactProblem('客'.repeat(60))]).toEqual(['length', 'length', null])
    expect([supportContactProblem('zhiyin\tkefu'), supportContactProblem('客服 help@zhiyin.cn'), supportContactProblem('help@zhiyin')]).toEqual(['characters', 'email', 'email'])
  })
})
