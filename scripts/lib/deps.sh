# shellcheck shell=bash
# Sourced by scripts/run and scripts/test: installs what Kinora needs, once, and exports
# KINORA_TORCH_PREFIX (LibTorch's CMake prefix). Everything it prints goes to stderr.
#
# The one list of what Kinora needs lives here. The reasons behind the LibTorch choice and the
# measured set-up cost are in docs/build-and-libtorch.md.

KINORA_APT_PACKAGES=(
  # build
  build-essential cmake ninja-build ccache pkg-config git clang-format python3 python3-venv
  # Qt 6: widgets, multimedia, linguist tools, and the xcb platform plugin
  qt6-base-dev qt6-multimedia-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-qpa-plugins
  libqt6svg6  # the SVG icon plugins
  libgl-dev
  # GStreamer plugins Qt Multimedia uses to play MP4 on Debian 12
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-libav
  # FFmpeg libraries and command-line tools
  libavformat-dev libavcodec-dev libavfilter-dev libswscale-dev libswresample-dev libavutil-dev ffmpeg
  # OpenCV: only the modules Kinora uses (libopencv-dev would pull in VTK, Qt 5 and more)
  libopencv-core-dev libopencv-imgproc-dev libopencv-video-dev libopencv-photo-dev libopencv-imgcodecs-dev
  # header-only and test libraries
  nlohmann-json3-dev libcli11-dev libgtest-dev libgmock-dev
  # SentencePiece: Wan 2.1's umT5 prompt tokenizer (optional to the build: without it, no Wan prompts)
  libsentencepiece-dev
  # a display for GUI runs on headless machines
  xvfb xauth xdotool
)

# LibTorch: the torch wheel from PyPI, which bundles LibTorch 2.x with CUDA and its CMake config.
# Pinned, and kept outside the clone so that fresh clones (CI) reuse it.
KINORA_TORCH_VERSION=2.15.0
KINORA_CACHE=${KINORA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kinora}
KINORA_TORCH_VENV=$KINORA_CACHE/torch-$KINORA_TORCH_VERSION

kinora_log() { printf '[kinora] %s\n' "$*" >&2; }

kinora_sudo() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    kinora_log "installing Debian packages needs root: run this as root once, or install sudo"
    return 1
  fi
}

kinora_install_apt() {
  local missing=()
  local pkg status
  for pkg in "${KINORA_APT_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = installed ] || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  kinora_log "installing ${#missing[@]} Debian packages: ${missing[*]}"
  kinora_sudo apt-get update -qq >&2
  kinora_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2
}

kinora_install_torch() {
  local marker=$KINORA_TORCH_VENV/.kinora-complete
  if [ ! -f "$marker" ]; then
    kinora_log "installing LibTorch (torch $KINORA_TORCH_VERSION wheel, ~5 GB) into $KINORA_TORCH_VENV"
    rm -rf "$KINORA_TORCH_VENV"
    mkdir -p "$KINORA_CACHE"
    python3 -m venv "$KINORA_TORCH_VENV" >&2
    "$KINORA_TORCH_VENV/bin/pip" install -q --disable-pip-version-check "torch==$KINORA_TORCH_VERSION" >&2
    "$KINORA_TORCH_VENV/bin/python" -c 'import torch.utils; print(torch.utils.cmake_prefix_path)' \
      >"$marker.tmp"
    # Written last: an interrupted install is redone, never half-used.
    mv "$marker.tmp" "$marker"
  fi
  KINORA_TORCH_PREFIX=$(cat "$marker")
  if [ ! -f "$KINORA_TORCH_PREFIX/Torch/TorchConfig.cmake" ]; then
    kinora_log "LibTorch in $KINORA_TORCH_VENV is broken; remove that folder and run again"
    return 1
  fi
  export KINORA_TORCH_PREFIX
}

kinora_install_deps() {
  kinora_install_apt
  kinora_install_torch
}

# kinora_build PRESET: configures (first time) and builds the preset's folder, output to stderr.
# Later runs only build: the build re-runs CMake itself when a CMakeLists.txt changed.
kinora_build() {
  local preset=$1
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  (
    cd "$root"
    # Let ccache share objects between clones (CI clones fresh every time): paths relative to the
    # clone, and the precompiled torch header accepted as cacheable. Measured: kinora_inference in a
    # second clone builds in 14 s instead of 3 min 11 s.
    export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root}
    export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
    if [ ! -f "build/$preset/CMakeCache.txt" ]; then
      cmake --preset "$preset" >&2
    fi
    cmake --build --preset "$preset" >&2
  )
}
