// lessonNotes (划线与笔记 in a lesson's 文稿: the lesson page's words): part of the zh-CN catalogue
// (app/i18n/zh-CN.ts), in a file of its own so that only the pages that read it download it
// (decision 028).

export const lessonNotesZhCN = {
  toolbarLabel: '划线与笔记',
  highlight: '划线',
  writeNote: '写笔记',
  signInToNote: '登录后可以在文稿里划线、写笔记。',
  selectHint: '选中文稿中的文字，即可划线或写笔记。',
  mine: (n: number) => `我的划线与笔记（${n}）`,
  noteLabel: '笔记',
  notePlaceholder: '写下你的想法……',
  noteCount: (n: number, max: number) => `${n}/${max}`,
  save: '保存笔记',
  cancel: '取消',
  addNote: '添加笔记',
  editNote: '编辑笔记',
  delete: '删除',
  deleteConfirm: '删除这条划线和笔记？',
  share: '分享到社区',
  joinToShare: '了解会员',
  shareHint: (board: string) => `将原文摘录和你的笔记发到「${board}」版块，附本讲链接（未解锁的读者打开链接后看到的是课程介绍与解锁方式）。`,
  viewInText: '在文稿中查看',
  moved: '文稿已修改，这段原文找不到了；笔记仍保留。',
} as const
