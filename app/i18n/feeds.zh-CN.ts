// feeds: part of the zh-CN catalogue (app/i18n/zh-CN.ts), in a file of its own so that only
// the pages that read it download it (decision 028).

export const feedsZhCN = {
  title: '知音每日',
  description: '每天 60 秒语音和一篇文章。会员专享的内容在这里只有导语。',
  podcastTitle: '知音每日 · 会员播客',
  podcastDescription: '你的私人播客订阅：你有权收听的每日语音，和你已购买或会员包含的课程。请勿分享这个地址。',
  // A reader who bought a course and has no membership: their courses, no dailies (decision 051).
  coursesPodcastTitle: '知音 · 我的课程',
  coursesPodcastDescription: '你的私人播客订阅：你已购买的课程的音频讲次，按课程目录排列。请勿分享这个地址。',
  lessonTitle: (course: string, lesson: string) => `《${course}》${lesson}`,
  lessonDescription: (course: string, chapter: string) => `又一课《${course}》· ${chapter}`,
  author: '知音',
  notFound: '订阅地址不存在或已失效',
  audioForbidden: '本期语音仅对会员开放，登录或加入会员后即可收听',
} as const
