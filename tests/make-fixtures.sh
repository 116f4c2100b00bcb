#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Makes one MP4 fixture for the player tests and benchmarks: make-fixtures.sh KIND OUTPUT
#
# Every video is I420 H.264 (x264enc picks High 4:4:4 without the I420 caps, which many
# decoders reject) and, unless said otherwise, has an AAC track a little longer than the video,
# as real takes often do. A time overlay makes each frame's pixels unique, so the tests can tell
# frames apart by content and not only by timestamp.
set -eu

kind=$1
out=$2
gst=${GST_LAUNCH:-gst-launch-1.0}

# video WIDTH HEIGHT FPS FRAMES BFRAMES PATTERN: the video half of a pipeline, ending in mux.
video () {
  echo "videotestsrc num-buffers=$4 pattern=$6" \
       "! video/x-raw,format=I420,width=$1,height=$2,framerate=$3/1" \
       "! timeoverlay time-mode=stream-time halignment=center valignment=bottom font-desc=\"Sans 24\"" \
       "! x264enc key-int-max=$3 bframes=$5 speed-preset=ultrafast" \
       "! video/x-h264,profile=main ! h264parse ! mux."
}

# audio BUFFERS: 1024-sample buffers of a 48 kHz stereo tone, into mux.
audio () {
  echo "audiotestsrc num-buffers=$1 samplesperbuffer=1024 volume=0.2" \
       "! audio/x-raw,rate=48000,channels=2 ! audioconvert ! voaacenc bitrate=64000" \
       "! aacparse ! mux."
}

mux="mp4mux faststart=true name=mux ! filesink location=\"$out.tmp\""

case "$kind" in
  clip)       # 3 s, 320x240 at 30 fps, 90 frames, no B-frames, AAC
    eval "$gst -q $mux $(video 320 240 30 90 0 smpte) $(audio 141)" ;;
  bframes)    # the same with 2 B-frames: the first PTS is not 0 (stream time must be used)
    eval "$gst -q $mux $(video 320 240 30 90 2 smpte) $(audio 141)" ;;
  noaudio)    # 2 s, 320x240 at 30 fps, no audio track
    eval "$gst -q $mux $(video 320 240 30 60 0 ball)" ;;
  take)       # a take as LTX-Video makes them: 5 s, 768x512 at 24 fps, 120 frames
    eval "$gst -q $mux $(video 768 512 24 120 0 smpte100) $(audio 235)" ;;
  take-b)     # a second take of the same length, for A/B comparison
    eval "$gst -q $mux $(video 768 512 24 120 0 colors) $(audio 235)" ;;
  take-720p)  # benchmark only: 5 s, 1280x720 at 30 fps
    eval "$gst -q $mux $(video 1280 720 30 150 0 smpte100) $(audio 235)" ;;
  corrupt)    # an MP4 name on bytes that are no video at all
    i=0
    : > "$out.tmp"
    while [ $i -lt 512 ]; do
      echo "this is not an mp4 file, it is a line of text repeated $i times" >> "$out.tmp"
      i=$((i + 1))
    done ;;
  truncated)  # a real clip cut off inside its index: the container is broken
    eval "$gst -q $mux $(video 320 240 30 90 0 smpte) $(audio 141)"
    head -c 1500 "$out.tmp" > "$out.tmp2"
    mv "$out.tmp2" "$out.tmp" ;;
  *)
    echo "make-fixtures.sh: unknown kind '$kind'" >&2
    exit 2 ;;
esac

mv "$out.tmp" "$out"
