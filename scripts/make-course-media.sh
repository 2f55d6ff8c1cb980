#!/usr/bin/env bash
# Regenerates the committed media of the demo courses (db/seed-courses.ts):
# content/courses/media/<lesson>.txt (what the lesson says, also its 文稿) → <lesson>.mp3 beside
# it; for the video lesson(s) below, <lesson>.mp4 (H.264 + AAC: a moving gradient under the same
# synthesised voice) and <lesson>.jpg, its poster frame. Run by hand after editing a script;
# npm start and the tests only read the committed files. Needs espeak-ng and ffmpeg with libx264
# (apt-get install -y espeak-ng ffmpeg). Made with espeak-ng 1.51 and ffmpeg 5.1 (Debian 12).
set -euo pipefail

cd "$(dirname "$0")/.."
MEDIA_DIR=content/courses/media
VIDEO_LESSONS=(business-03-moat)
MAX_AUDIO_BYTES=$((300 * 1024))
MAX_VIDEO_BYTES=$((600 * 1024))

for tool in espeak-ng ffmpeg ffprobe; do
  command -v "$tool" >/dev/null || { echo "make-course-media: $tool is missing (apt-get install -y espeak-ng ffmpeg)" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

is_video() {
  local name=$1 video
  for video in "${VIDEO_LESSONS[@]}"; do [ "$video" = "$name" ] && return 0; done
  return 1
}

check_size() {
  local file=$1 max=$2 bytes
  bytes=$(stat -c %s "$file")
  printf '%-48s %6.2f s %7d bytes\n' "$file" "$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$file")" "$bytes"
  [ "$bytes" -le "$max" ] || { echo "make-course-media: $file is $bytes bytes, over $max" >&2; exit 1; }
}

shopt -s nullglob
scripts=("$MEDIA_DIR"/*.txt)
[ ${#scripts[@]} -gt 0 ] || { echo "make-course-media: no scripts in $MEDIA_DIR" >&2; exit 1; }

for script in "${scripts[@]}"; do
  name=$(basename "$script" .txt)
  # Mandarin voice, 160 words per minute, as the demo dailies (scripts/make-demo-audio.sh).
  espeak-ng -v cmn -s 160 -w "$tmp/$name.wav" -f "$script"
  if is_video "$name"; then
    mp4="$MEDIA_DIR/$name.mp4"
    seconds=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$tmp/$name.wav")
    # 480×270, 15 fps, a slowly turning gradient; H.264 main profile, yuv420p and faststart so
    # every browser plays it and it starts before the whole file has arrived. Bit-exact flags
    # keep tool versions and dates out of the file.
    ffmpeg -hide_banner -loglevel error -y \
      -f lavfi -i "gradients=s=480x270:r=15:c0=0x7c2d12:c1=0xf59e0b:c2=0x1c1917:nb_colors=3:speed=0.02:d=$seconds" \
      -i "$tmp/$name.wav" \
      -c:v libx264 -profile:v main -preset veryslow -crf 34 -pix_fmt yuv420p -g 60 \
      -c:a aac -b:a 32k -ac 1 -ar 22050 -shortest -movflags +faststart \
      -map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact \
      "$mp4"
    check_size "$mp4" "$MAX_VIDEO_BYTES"
    ffmpeg -hide_banner -loglevel error -y -ss 1 -i "$mp4" -frames:v 1 -q:v 4 "$MEDIA_DIR/$name.jpg"
  else
    mp3="$MEDIA_DIR/$name.mp3"
    # Mono MP3, 22050 Hz, 40 kbit/s CBR, no metadata: the same bytes from the same tool versions.
    ffmpeg -hide_banner -loglevel error -y -i "$tmp/$name.wav" \
      -ac 1 -ar 22050 -c:a libmp3lame -b:a 40k \
      -map_metadata -1 -fflags +bitexact -flags:a +bitexact \
      "$mp3"
    check_size "$mp3" "$MAX_AUDIO_BYTES"
  fi
done
