#!/usr/bin/env bash
# Regenerates the committed demo audio: content/dailies/audio/NN-slug.txt (the spoken script:
# the title, a short version of the talk, 「今天的关键词是：XX」) → NN-slug.mp3 beside it.
# Run by hand after editing a script; npm start and the tests only read the committed MP3s.
# Needs espeak-ng and ffmpeg (apt-get install -y espeak-ng ffmpeg). Tested with espeak-ng 1.51
# and ffmpeg 5.1 (Debian 12); other versions give slightly different files.
set -euo pipefail

cd "$(dirname "$0")/.."
AUDIO_DIR=content/dailies/audio
MIN_SECONDS=20
MAX_SECONDS=55 # the app refuses clips over 60 s; keep a margin
MAX_BYTES=$((300 * 1024))

for tool in espeak-ng ffmpeg ffprobe; do
  command -v "$tool" >/dev/null || { echo "make-demo-audio: $tool is missing (apt-get install -y espeak-ng ffmpeg)" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

shopt -s nullglob
scripts=("$AUDIO_DIR"/*.txt)
[ ${#scripts[@]} -gt 0 ] || { echo "make-demo-audio: no scripts in $AUDIO_DIR" >&2; exit 1; }

for script in "${scripts[@]}"; do
  name=$(basename "$script" .txt)
  mp3="$AUDIO_DIR/$name.mp3"
  # Mandarin voice, 160 words per minute; espeak-ng writes 22050 Hz mono WAV.
  espeak-ng -v cmn -s 160 -w "$tmp/$name.wav" -f "$script"
  # Mono MP3, 22050 Hz, 40 kbit/s CBR. No metadata and bit-exact flags, so that the same
  # tool versions reproduce the same bytes (no encoder version or date in the file).
  ffmpeg -hide_banner -loglevel error -y -i "$tmp/$name.wav" \
    -ac 1 -ar 22050 -c:a libmp3lame -b:a 40k \
    -map_metadata -1 -fflags +bitexact -flags:a +bitexact \
    "$mp3"
  seconds=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$mp3")
  bytes=$(stat -c %s "$mp3")
  printf '%-46s %6.2f s %7d bytes\n' "$mp3" "$seconds" "$bytes"
  if awk -v s="$seconds" -v lo="$MIN_SECONDS" -v hi="$MAX_SECONDS" 'BEGIN { exit !(s < lo || s > hi) }'; then
    echo "make-demo-audio: $mp3 lasts ${seconds} s; keep each clip between $MIN_SECONDS and $MAX_SECONDS s (shorten or lengthen $script)" >&2
    exit 1
  fi
  if [ "$bytes" -gt "$MAX_BYTES" ]; then
    echo "make-demo-audio: $mp3 is $bytes bytes, over $MAX_BYTES" >&2
    exit 1
  fi
done
