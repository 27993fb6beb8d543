#!/usr/bin/env bash
# Remakes every sample media file committed in this repository. We make them all ourselves: nothing is downloaded.
#
#   openavathar-core/src/test/resources/media/       tiny fixtures for MediaProbe tests (formats the JDK cannot write)
#   openavathar-examples/.../examples/               sample-portrait.png, sample-speech.wav for the examples
#   openavathar-testkit/.../testkit/comfy/           sample-portrait.mp4, sample-landscape.mp4 the ComfyUI simulator serves
#   openavathar-testkit/.../testkit/media/           SampleMedia: portrait PNG and JPEG, landscape PNG, 3 s speech WAV, MP3
#
# Needs Debian's ffmpeg, imagemagick and espeak-ng (apt-get install -y ffmpeg imagemagick espeak-ng). Builds and tests
# never run this script: its output is committed. Run it from anywhere; it writes into the repository it lives in.
# Encoders differ between versions, so a remake may differ by a few bytes; the tests only rely on format, size class,
# dimensions, sample rate, channels and (approximate) duration.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
fixtures="$root/openavathar-core/src/test/resources/media"
examples="$root/openavathar-examples/src/main/resources/io/openavathar/examples"
comfy="$root/openavathar-testkit/src/main/resources/io/openavathar/testkit/comfy"
media="$root/openavathar-testkit/src/main/resources/io/openavathar/testkit/media"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for tool in ffmpeg convert espeak-ng; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y ffmpeg imagemagick espeak-ng" >&2; exit 1; }
done
mkdir -p "$fixtures" "$examples" "$comfy" "$media"

# Quiet, reproducible ffmpeg: no banner, no encoder name or date in the output, no metadata copied from inputs.
ff() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }
bitexact=(-map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact)

# --- 1. The sample portrait: a simple stylised face, drawn with ImageMagick (512x768, flat colours, 8-bit PNG). ---
convert -size 512x768 xc:'#cfe3f0' \
  -fill '#2f5d8a' -draw 'ellipse 256,800 230,150 0,360' \
  -fill '#e8b894' -draw 'rectangle 216,520 296,660' \
  -fill '#4a3020' -draw 'ellipse 256,330 175,200 0,360' \
  -fill '#f2c7a5' -draw 'ellipse 256,380 140,180 0,360' \
  -draw 'ellipse 118,390 22,38 0,360' -draw 'ellipse 394,390 22,38 0,360' \
  -fill '#4a3020' -draw 'ellipse 200,232 100,52 0,360' -draw 'ellipse 318,228 92,46 0,360' \
  -fill white -draw 'ellipse 200,360 30,18 0,360' -draw 'ellipse 312,360 30,18 0,360' \
  -fill '#3b6ea5' -draw 'circle 200,360 200,373' -draw 'circle 312,360 312,373' \
  -fill black -draw 'circle 200,360 200,366' -draw 'circle 312,360 312,366' \
  -fill none -stroke '#4a3020' -strokewidth 8 \
  -draw "path 'M 170,332 Q 200,312 232,330'" -draw "path 'M 280,330 Q 312,312 342,332'" \
  -stroke '#c98f6e' -strokewidth 5 -draw "path 'M 240,430 Q 256,448 272,430'" \
  -stroke none -fill '#b5485a' -draw 'ellipse 256,490 50,22 0,180' \
  -fill '#f0a0a8' -draw 'ellipse 175,440 24,14 0,360' -draw 'ellipse 337,440 24,14 0,360' \
  -alpha off -depth 8 -strip -define png:compression-level=9 "PNG24:$examples/sample-portrait.png"

# --- 2. The sample speech: espeak-ng, silence trimmed, 16 kHz mono 16-bit PCM WAV, about 4.9 s. ---
espeak-ng -v en-us -s 210 -w "$work/speech-raw.wav" \
  "Hello! I am the OpenAvathar demo. This video comes from a simulated ComfyUI server."
trim='silenceremove=start_periods=1:start_threshold=-50dB,areverse'
ff -i "$work/speech-raw.wav" -af "$trim,$trim,adelay=150,apad=pad_dur=0.2" \
  -ar 16000 -ac 1 -c:a pcm_s16le "${bitexact[@]}" "$examples/sample-speech.wav"

# --- 3. Simulated InfiniteTalk outputs: H.264 yuv420p + AAC, 25 fps, 3 s, slow zoom on the portrait, faststart. ---
make_video() { # $1 = width, $2 = height, $3 = output file
  ff -loop 1 -framerate 25 -i "$examples/sample-portrait.png" -i "$examples/sample-speech.wav" \
    -filter_complex "[0:v]scale=w=${1}:h=${2}*0.95:force_original_aspect_ratio=decrease,pad=${1}:${2}:(ow-iw)/2:(oh-ih)/2:color=0xcfe3f0,
      zoompan=z='1+0.002*on':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':d=1:s=${1}x${2}:fps=25,format=yuv420p[v]" \
    -map '[v]' -map 1:a -t 3 -r 25 \
    -c:v libx264 -preset veryslow -crf 34 -profile:v main -pix_fmt yuv420p \
    -c:a aac -b:a 32k -ar 44100 -ac 1 \
    "${bitexact[@]}" -movflags +faststart "$3"
}
make_video 480 832 "$comfy/sample-portrait.mp4"
make_video 832 480 "$comfy/sample-landscape.mp4"

# --- 4. MediaProbe test fixtures: WebP (lossy VP8, lossless VP8L, extended VP8X with alpha) and short tones. ---
ff -i "$examples/sample-portrait.png" -vf scale=320:480 -c:v libwebp -lossless 0 -q:v 40 "${bitexact[@]}" \
  "$fixtures/portrait-lossy.webp"
ff -i "$examples/sample-portrait.png" -vf scale=288:432 -c:v libwebp -lossless 1 "${bitexact[@]}" \
  "$fixtures/portrait-lossless.webp"
ff -i "$examples/sample-portrait.png" -vf "scale=300:450,colorkey=0xcfe3f0:0.05,format=yuva420p" \
  -c:v libwebp -lossless 0 -q:v 40 "${bitexact[@]}" "$fixtures/portrait-alpha.webp"

tone() { # $1 = seconds, $2 = sample rate, $3 = channels; writes raw input for the encoders below
  ff -f lavfi -i "sine=frequency=440:sample_rate=$2:duration=$1" -ac "$3" -c:a pcm_s16le "$work/tone-$1-$2-$3.wav"
  echo "$work/tone-$1-$2-$3.wav"
}
ff -i "$(tone 1.5 22050 1)" -c:a libmp3lame -b:a 32k "${bitexact[@]}" "$fixtures/tone.mp3"
ff -i "$(tone 1.5 22050 1)" -c:a libmp3lame -b:a 32k -id3v2_version 0 "${bitexact[@]}" "$fixtures/tone-no-id3.mp3"
ff -i "$(tone 1.25 16000 1)" -c:a flac -compression_level 8 "${bitexact[@]}" "$fixtures/tone.flac"
ff -i "$(tone 2 44100 2)" -c:a libvorbis -q:a 0 "${bitexact[@]}" "$fixtures/tone.ogg"
ff -i "$(tone 1.5 48000 1)" -c:a libopus -b:a 16k "${bitexact[@]}" "$fixtures/tone.opus"
ff -i "$(tone 1 24000 1)" -c:a aac -b:a 32k "${bitexact[@]}" -movflags +faststart "$fixtures/tone.m4a"
# A video with sound: MediaProbe must say "video", not read it as M4A audio.
ff -f lavfi -i testsrc=duration=0.5:size=64x64:rate=10 -i "$(tone 0.5 24000 1)" -c:v libx264 -pix_fmt yuv420p \
  -c:a aac -b:a 24k -shortest "${bitexact[@]}" -movflags +faststart "$fixtures/video.mp4"

# --- 5. The testkit's SampleMedia (CC0: the project made them): the portrait as PNG and JPEG, a landscape, 3 s of
#        speech as WAV (16 kHz mono) and MP3. ---
cp "$examples/sample-portrait.png" "$media/portrait.png"
convert "$examples/sample-portrait.png" -strip -quality 85 -interlace none "$media/portrait.jpg"
convert "$examples/sample-portrait.png" -resize x480 -background '#cfe3f0' -gravity center -extent 832x480 \
  -alpha off -depth 8 -strip -define png:compression-level=9 "PNG24:$media/landscape.png"
espeak-ng -v en-us -s 190 -w "$work/speech3-raw.wav" "Hello! I am a sample speaker for OpenAvathar."
ff -i "$work/speech3-raw.wav" -af "$trim,$trim,adelay=100,apad=whole_dur=3,atrim=0:3" \
  -ar 16000 -ac 1 -c:a pcm_s16le "${bitexact[@]}" "$media/speech-3s.wav"
ff -i "$media/speech-3s.wav" -ar 22050 -ac 1 -c:a libmp3lame -b:a 48k "${bitexact[@]}" "$media/speech-3s.mp3"

ls -l "$fixtures" "$examples" "$comfy" "$media"
