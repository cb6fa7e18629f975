#!/usr/bin/env bash
# Learning curve of a native model design: accuracy per CPU-minute, not loss.
#
#   bench/learning_curve.sh OUT POINTS MINUTES [train flags...]
#
# Trains `kinora-cli train [train flags] -o OUT/pack` for MINUTES of wall-clock time, evaluates the
# checkpoint (`kinora-cli eval`, held-out combinations), and repeats POINTS times; each chunk
# resumes the last exactly. Prints one line per point and appends it to OUT/curve.tsv: cumulative
# training minutes (evaluation time excluded), steps, seen and held-out text-to-video accuracy
# (colour, shape, direction, background), and the inpainting and interpolation gains in dB over
# their classical baselines. Environment: KINORA_CLI (default: the release build's kinora-cli),
# CURVE_CLIPS (text-to-video clips per group, default 12), CURVE_RESTORATION (clips, default 4).
#
# Example (the default design on this machine, 6 points of 5 minutes):
#   bench/learning_curve.sh /tmp/curve-a 6 5 --config default --steps 6000 --batch 16 --min-snr 5
set -euo pipefail
if [ $# -lt 3 ]; then
    sed -n '2,16p' "$0"
    exit 2
fi
out=$1 points=$2 minutes=$3
shift 3
here=$(cd "$(dirname "$0")/.." && pwd)
cli=${KINORA_CLI:-$here/build/release/app/kinora-cli}
command -v jq >/dev/null || { echo "learning_curve.sh needs jq (apt install jq)" >&2; exit 2; }
[ -x "$cli" ] || { echo "no kinora-cli at $cli (set KINORA_CLI)" >&2; exit 2; }
mkdir -p "$out"
tsv=$out/curve.tsv
[ -f "$tsv" ] || printf 'minutes\tsteps\tseen_colour\tseen_shape\tseen_direction\tseen_background\theld_colour\theld_shape\theld_direction\theld_background\tflicker\tinpaint_gain_db\tinterp_gain_db\n' >"$tsv"
done_minutes=$(awk -F'\t' 'NR > 1 { m = $1 } END { print m + 0 }' "$tsv")
before=$(($(wc -l <"$tsv") - 1)) # points already on the curve: logs are numbered after them
for ((i = before + 1; i <= before + points; i++)); do
    start=$(date +%s)
    "$cli" train "$@" --minutes "$minutes" -o "$out/pack" 2>"$out/train-$i.log" >/dev/null \
        || { tail -3 "$out/train-$i.log" >&2; exit 1; }
    seconds=$(($(date +%s) - start))
    done_minutes=$(awk -v a="$done_minutes" -v b="$seconds" 'BEGIN { printf "%.1f", a + b / 60 }')
    steps=$(grep -ao '"step":"[0-9]*"' "$out/pack/training-state.safetensors" | head -1 | tr -dc 0-9)
    "$cli" eval --model "$out/pack" --clips "${CURVE_CLIPS:-12}" --restoration-clips "${CURVE_RESTORATION:-4}" \
        --seed 0 --json >"$out/eval-$i.json" 2>/dev/null
    line=$(jq -r --arg m "$done_minutes" --arg s "$steps" '[ $m, $s,
        (.text_to_video.seen | .colour, .shape, .direction, .background | . * 100 | round),
        (.text_to_video.held_out | .colour, .shape, .direction, .background | . * 100 | round),
        (.text_to_video.held_out.flicker * 100 | round / 100),
        ((.inpainting.psnr - .inpainting.baseline_psnr) * 100 | round / 100),
        ((.interpolation.psnr - .interpolation.baseline_psnr) * 100 | round / 100) ] | @tsv' "$out/eval-$i.json")
    echo "$line" >>"$tsv"
    echo "$line"
done
