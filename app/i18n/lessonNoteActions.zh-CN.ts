// lessonNoteActions (what the lesson page's note actions answer, read on the server): part of
// the zh-CN catalogue (app/i18n/zh-CN.ts), in a file of its own so that only what reads it
// loads it (decision 028).

export const lessonNoteActionsZhCN = {
  errors: {
    signInRequired: '登录后才能划线和写笔记。',
    range: {
      empty: '请选中一段文字（不能只有空白）。',
      too_long: '一次最多划 2000 字，请缩短选择。',
      outside: '所选范围不在这一讲的文稿内，请重新选择。',
      quote_mismatch: '所选文字与文稿不一致（文稿可能刚更新），请刷新页面后重新选择。',
    },
    noteTooLong: (max: number, n: number) => `笔记最多 ${max} 字，现在是 ${n} 字。`,
    notFound: '没有找到这条笔记，它可能已被删除。',
    intent: '未知的操作。',
    rateLimited: (seconds: number) => `发帖太频繁，请 ${seconds} 秒后再分享。`,
    noBoard: '社区暂时没有「分享」版块。',
  },
  flash: {
    highlighted: '已划线',
    noted: '笔记已保存',
    deleted: '已删除这条划线',
    shared: '已分享到社区',
  },
  shareText: {
    title: (lesson: string) => `笔记 · ${lesson}`,
    from: (course: string, lesson: string) => `摘自《${course}》·${lesson}`,
  },
} as const
