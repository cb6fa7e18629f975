#!/usr/bin/env bash
# Runs kinora-edit-bench (issue 13's figures: the event loop's gaps while the timeline is scrubbed
# and masks are painted over a 1280x720 clip, with a job running and without; the timeline's
# repaint with 100 clips) on ../shared/data/clips/01_dog.mp4. Builds nothing:
#   cmake --build build/test --target kinora-edit-bench && bench/edit.sh build/test
# Under Xvfb when there is no display (xvfb-run), so paints go through X as on a desktop; other
# arguments go to the bench (--seconds S a phase, default 10). Set KINORA_SHARED_DATA to read the
# data from elsewhere.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: bench/edit.sh BUILD_DIR [--seconds S]}
shift
bench="$build/bench/kinora-edit-bench"
[ -x "$bench" ] || { echo "no $bench: build the kinora-edit-bench target first" >&2; exit 1; }
data=${KINORA_SHARED_DATA:-$(cd "$here/../.." && pwd)/shared/data}
clip="$data/clips/01_dog.mp4"
[ -f "$clip" ] || { echo "no $clip (the shared footage)" >&2; exit 1; }
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then
  exec xvfb-run -a -s "-screen 0 1920x1080x24" "$bench" "$clip" "$@"
fi
exec "$bench" "$clip" "$@"
