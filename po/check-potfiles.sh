#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when a file with translatable strings is missing from po/POTFILES.in, or when
# POTFILES.in lists a file that does not exist or is out of order.
# Usage: check-potfiles.sh [SOURCE_ROOT]
set -eu

cd "${1:-$(dirname "$0")/..}"

potfiles=po/POTFILES.in
listed=$(mktemp)
wanted=$(mktemp)
trap 'rm -f "$listed" "$wanted"' EXIT

sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$potfiles" >"$listed"

status=0

if ! LC_ALL=C sort -c "$listed" 2>/dev/null; then
  echo "$potfiles is not sorted (LC_ALL=C sort)" >&2
  status=1
fi

while read -r file; do
  if [ ! -f "$file" ]; then
    echo "$potfiles lists $file, which does not exist" >&2
    status=1
  fi
done <"$listed"

{
  # C sources calling the gettext macros: _(…), N_(…), C_(…), NC_(…), with or without a space.
  find src -name '*.c' -o -name '*.h' | xargs grep -lE '(^|[^A-Za-z0-9_])(N?C?_|g_dngettext|ngettext) ?\(' || true
  # Templates and menus with translatable properties.
  find src resources -name '*.ui' | xargs grep -l 'translatable="yes"' || true
  # Data files whose strings are merged or extracted (desktop entry, metainfo, schema summaries).
  find data -name '*.desktop.in' -o -name '*.metainfo.xml.in' -o -name '*.gschema.xml'
} | LC_ALL=C sort -u >"$wanted"

missing=$(LC_ALL=C comm -23 "$wanted" "$listed")
if [ -n "$missing" ]; then
  echo "Files with translatable strings missing from $potfiles:" >&2
  echo "$missing" | sed 's/^/  /' >&2
  status=1
fi

exit $status
