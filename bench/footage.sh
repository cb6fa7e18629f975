#!/usr/bin/env bash
# Runs kinora-footage-bench (issue 12's table: Kinora's flow interpolation and inpainting against
# ffmpeg minterpolate, the frame average and OpenCV Telea, in one run) on the shared data. Builds
# nothing: point it at a build folder that has the target built, e.g.
#   cmake --build build/test --target kinora-footage-bench && bench/footage.sh build/test --out /tmp/footage
# Other arguments go to the bench (--out DIR for the side-by-side PNGs, --sets, --frames, --threads).
# Set KINORA_SHARED_DATA to read the data from elsewhere than ../shared/data. Takes about 10 minutes
# on a 2-core machine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: bench/footage.sh BUILD_DIR [kinora-footage-bench options]}
shift
bench="$build/bench/kinora-footage-bench"
[ -x "$bench" ] || { echo "no $bench: build the kinora-footage-bench target first" >&2; exit 1; }
data=${KINORA_SHARED_DATA:-$(cd "$here/../.." && pwd)/shared/data}
exec "$bench" "$data" "$@"
