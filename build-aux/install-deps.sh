#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs everything Dailies needs to build, run and test on Debian 12 (bookworm).
# Run as root (or through sudo). The one list of packages: README and CI both use it.
set -euo pipefail

packages=(
  # build
  build-essential meson ninja-build pkg-config gettext git
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev
  libsqlite3-dev libsecret-1-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libgstreamer-plugins-bad1.0-dev
  # run: decoding, encoding (the simulator renders H.264/AAC), prompt text on frames
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-x gstreamer1.0-tools
  gstreamer1.0-plugins-base-apps fonts-dejavu-core
  # test: a display, a session bus, screenshots, data validators, curl for benchmarks
  xvfb xauth dbus dbus-x11 at-spi2-core imagemagick curl
  desktop-file-utils appstream flatpak-builder
)

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps.sh: run as root, e.g. sudo $0" >&2
  exit 1
fi

apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}"
