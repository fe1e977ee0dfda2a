#!/bin/sh
# Build step: writes OUTDIR/pktmask.1.gz and OUTDIR/pktmask-COMMAND.1.gz for
# every subcommand, with help2man from each command's --help. The pages are
# the help the binary itself prints, so they cannot drift from it; the
# subcommands are read from `pktmask --help` for the same reason.
#   man_pages.sh PKTMASK HELP2MAN OUTDIR INCLUDE_DIR VERSION
set -eu
pktmask=$1 help2man=$2 out=$3 include=$4 version=$5
work=$out.work
rm -rf "$out" "$work"
mkdir -p "$out" "$work"

# "  name   Description" lines of the Subcommands section; a description that
# wraps continues on lines indented further.
"$pktmask" --help | awk '
  /^Subcommands:/ { listing = 1; next }
  listing && /^$/ { exit }
  listing && /^  [a-z]/ { if (name) print name "\t" text; name = $1; text = substr($0, index($0, $2)); next }
  listing { sub(/^ +/, ""); text = text " " $0 }
  END { if (name) print name "\t" text }' >"$work/commands"

page() { # NAME PROGRAM DESCRIPTION INCLUDE
  "$help2man" --no-info --section=1 --version-string="$version" --source="pktmask $version" \
    --manual="pktmask manual" --name="$3" --include="$4" --output="$work/$1.1" "$2"
  gzip -9n -c "$work/$1.1" >"$out/$1.1.gz"
}

see_also=""
while IFS="$(printf '\t')" read -r name description; do
  # help2man names a page after its program: each subcommand gets one of its own.
  printf '#!/bin/sh\nexec "%s" %s "$@"\n' "$pktmask" "$name" >"$work/pktmask-$name"
  chmod +x "$work/pktmask-$name"
  page "pktmask-$name" "$work/pktmask-$name" "$description" "$include/command.h2m"
  see_also="$see_also${see_also:+,
}.BR pktmask-$name (1)"
done <"$work/commands"

{ cat "$include/pktmask.h2m"; printf '\n[SEE ALSO]\n%s\n' "$see_also"; cat "$include/see-also.h2m"; } >"$work/pktmask.h2m"
page pktmask "$pktmask" "make packet captures safe to share" "$work/pktmask.h2m"
rm -rf "$work"
