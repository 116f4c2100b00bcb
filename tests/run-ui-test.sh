#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a ui test: on the current display if there is one, otherwise under a private X server
# and session bus, with the cairo renderer so that screenshots do not depend on a GPU.
set -eu

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$@"
fi

for tool in xvfb-run dbus-run-session; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIP: no display and no $tool" >&2
    exit 77
  fi
done

export GSK_RENDERER=cairo
exec xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$@"
