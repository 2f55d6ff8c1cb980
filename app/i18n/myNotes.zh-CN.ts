// myNotes (/account/notes and its markdown export): part of the zh-CN catalogue
// (app/i18n/zh-CN.ts), in a file of its own so that only the pages that read it download it
// (decision 028).

export const myNotesZhCN = {
  viewInText: '在文稿中查看',
  page: {
    title: '我的笔记',
    subtitle: '你在课程文稿里的划线和笔记，按课程、按讲整理。',
    empty: '还没有笔记。打开一讲课程，在文稿里选中文字即可划线、写笔记。',
    browseCourses: '去看看课程',
    exportAll: '导出全部（Markdown）',
    exportCourse: '导出 Markdown',
    count: (n: number) => `${n} 条`,
    backToAccount: '返回我的账户',
  },
  export: {
    title: '我的笔记',
    exportedAt: (date: string) => `导出于 ${date}`,
    course: (title: string) => `《${title}》`,
    backToText: '回到原文',
    note: '笔记',
    fileName: (scope: string, date: string) => `知音笔记-${scope}-${date}.md`,
    allCourses: '全部课程',
  },
} as const
