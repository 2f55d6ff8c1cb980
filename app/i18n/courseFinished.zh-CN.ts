// The lesson page's 「恭喜完成本课」 (decision 046): a file of its own, so the lesson page
// downloads these few words and not the certificate's catalogue (decision 028).

export const courseFinishedZhCN = {
  congratulations: '恭喜完成本课',
  congratulationsBody: (course: string) => `你已学完《${course}》的全部课时，结业证书已经为你生成。`,
  view: '查看结业证书',
} as const
