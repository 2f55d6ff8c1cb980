// player: part of the zh-CN catalogue (app/i18n/zh-CN.ts), in a file of its own so that only
// the pages that read it download it (decision 028).

// The daily-voice player (app/components/player.tsx): the full player on a daily, the mini
// player docked at the bottom of other pages, and what lock screens show.
export const playerZhCN = {
  play: '播放',
  pause: '暂停',
  skipBack: (seconds: number) => `后退 ${seconds} 秒`,
  skipForward: (seconds: number) => `前进 ${seconds} 秒`,
  rate: '播放速度',
  rateOption: (rate: number) => `${rate} 倍速`,
  progress: '播放进度',
  progressText: (elapsed: string, total: string) => `${elapsed} / ${total}`,
  nowPlaying: '正在收听',
  backToDaily: (title: string) => `回到「${title}」`,
  close: '关闭播放器',
  album: '每日语音',
  loadFailed: '语音加载失败，请稍后再试',
} as const
