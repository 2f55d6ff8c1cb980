// /account's 「已完成的课程」 (decision 046): a file of its own, read by /account only (decision 028).

export const finishedCoursesZhCN = {
  title: '已完成的课程',
  finishedOn: (date: string) => `${date} 学完`,
  certificate: '结业证书',
} as const
