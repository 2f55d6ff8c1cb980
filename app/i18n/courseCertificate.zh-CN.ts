// The certificate of completion of a course (又一课, issue 17, decision 046): part of the zh-CN
// catalogue, in a file of its own so that only the pages that read it download it (decision 028).

export const courseCertificateZhCN = {
  title: '结业证书',
  heading: '结业证书',
  certifies: '兹证明',
  completed: '已学完课程',
  lecturer: (name: string) => `主讲人 ${name}`,
  lessons: (n: number) => `共 ${n} 讲`,
  finishedOn: '完成日期',
  number: '证书编号',
  brand: '知音 · 又一课',
  brandLatin: 'ZHIYIN',
  scan: '扫码学习这门课',
  flash: (course: string) => `恭喜完成本课！《${course}》的结业证书已经生成。`,
  backToCourse: '返回课程',
  share: {
    title: '分享证书',
    body: '把证书图片发给朋友或朋友圈；图片上的二维码通向这门课。',
    image: '证书图片',
    open: '打开证书图片',
    link: '分享链接：',
    linkHint: '拿到这个链接的人都能看到这张证书（你的昵称、课程和完成日期），看不到你的其他信息。',
    alt: (name: string, course: string) => `${name} 的《${course}》结业证书`,
  },
  shared: {
    title: (name: string) => `${name} 的结业证书`,
    body: '这门课在知音「又一课」，每讲十几分钟，配完整文稿。',
    cta: '去看看这门课',
  },
  unfinished: {
    title: '还差一点就能拿到证书',
    body: (done: number, total: number) => `学完这门课已发布的全部课时后即可获得结业证书。你已学 ${done}/${total} 讲，还差：`,
    none: '这门课还没有发布课时，暂时不能获得证书。',
    continue: '继续学习',
  },
  notFound: '找不到这张证书：链接有误，或这门课已有新的课时尚未学完。',
  meta: {
    description: (course: string, lecturer: string) => `在知音「又一课」学完了《${course}》（主讲人 ${lecturer}）。`,
  },
} as const
