// media: part of the zh-CN catalogue (app/i18n/zh-CN.ts), in a file of its own so that only
// the pages that read it download it (decision 028).

export const mediaZhCN = {
  audioTooLarge: '音频文件不能超过 10 MB',
  audioType: '只支持 mp3、m4a/aac、ogg/opus 或 wav 音频（按文件内容判断）',
  audioUnreadable: '无法读取音频时长，请换一个文件',
  audioTooLong: (ms: number) => `音频时长 ${(ms / 1000).toFixed(1)} 秒，超过 60 秒上限`,
  lessonAudioTooLarge: '课程音频不能超过 200 MB',
  lessonAudioTooLong: (ms: number) => `音频时长 ${Math.ceil(ms / 60000)} 分钟，超过 60 分钟上限`,
  videoTooLarge: '视频文件不能超过 500 MB',
  videoType: '只支持 mp4（H.264）视频（按文件内容判断）',
  videoUnreadable: '无法读取视频时长，请换一个文件',
  imageTooLarge: '图片不能超过 5 MB',
  imageType: '只支持 jpeg、png 或 webp 图片（按文件内容判断）',
  imageUnreadable: '无法读取这张图片，请换一个文件',
  imageTooManyPixels: '图片尺寸过大（最多 4000 万像素）',
  noFile: '请选择一个文件',
  notFound: '文件不存在',
  rangeInvalid: '无效的 Range 请求',
} as const
