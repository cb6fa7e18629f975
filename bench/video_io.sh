#!/usr/bin/env bash
# Runs kinora-video-bench (decode and H.264 export against the ffmpeg CLI, target ratio >= 0.9) on
# the shared clips. Builds nothing: point it at a build folder that has the target built, e.g.
#   cmake --build build/test --target kinora-video-bench && bench/video_io.sh build/test [--repeat 5]
# Other arguments go to every run (--codec, --frames, --repeat, --json). Set KINORA_SHARED_DATA to
# read the clips from elsewhere than ../shared/data.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: bench/video_io.sh BUILD_DIR [kinora-video-bench options]}
shift
bench="$build/bench/kinora-video-bench"
[ -x "$bench" ] || { echo "no $bench: build the kinora-video-bench target first" >&2; exit 1; }
data=${KINORA_SHARED_DATA:-$(cd "$here/../.." && pwd)/shared/data}
for clip in bedroom.mp4 01_dog.mp4; do
  "$bench" "$data/clips/$clip" "$@"
  [[ " $* " == *" --json "* ]] || echo
done
