import { describe, expect, it } from 'vitest'
import { MAX_MENTIONS_PER_POST, parseMentions } from '~/domain/mention'

describe('parseMentions', () => {
  it.each([
    ['@小明 你好', ['小明']],
    ['@小明，你好', ['小明']],
    ['谢谢@小明。', ['小明']],
    ['「@小明」说得对', ['小明']],
    ['@alice! and @bob_2, @李-四?', ['alice', 'bob_2', '李-四']],
    ['＠小红 全角的 at', ['小红']],
    ['@小明 @小明 @小明', ['小明']],
    ['写信给 a@example.com 或 @ 空格', []],
    ['@小明:@小红', ['小明', '小红']],
    ['没有提到任何人', []],
    ['@读书人😀 表情', ['读书人😀']],
  ])('%s → %j', (text, names) => {
    expect(parseMentions(text)).toEqual(names)
  })

  it(`keeps the first ${MAX_MENTIONS_PER_POST} distinct names`, () => {
    expect(parseMentions('@a @b @a @c @d @e @f @g')).toEqual(['a', 'b', 'c', 'd', 'e'])
  })
})
