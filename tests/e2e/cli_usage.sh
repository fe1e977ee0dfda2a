#!/usr/bin/env bash
# The command line's own edges: every --help fits 100 columns, a mistyped
# command gets a suggestion, and every usage error (exit 2) points to the
# help of the command at hand.
. "$(dirname "$0")/lib.sh"
sample="$SRC/testdata/tls/tls12_openssl.pcap"

fits_100_columns() {  # the last output has no line longer than 100 characters
  local wide
  wide=$(awk 'length > 100' "$WORK/last.out")
  [ -z "$wide" ] || { echo "$wide" >&2; return 1; }
}

for command in "" mark mask sanitize verify capture anon report; do
  # shellcheck disable=SC2086  # no command at all is the main help
  expect_exit 0 "pktmask $command --help" "$PKTMASK" $command --help
  check "pktmask $command --help fits 100 columns" fits_100_columns
done

# says_usage "HINT-COMMAND" "MESSAGE": the last error is exactly the message
# line and the hint line, and nothing went to stdout.
says_usage() {
  [ "$(sed -n 1p "$WORK/last.err")" = "pktmask: $2" ] &&
    [ "$(sed -n 2p "$WORK/last.err")" = "Run '$1 --help' for usage." ] &&
    [ "$(wc -l <"$WORK/last.err")" = 2 ] && [ ! -s "$WORK/last.out" ]
}

expect_exit 2 "mistyped command" "$PKTMASK" sanitze "$sample" -o "$WORK/out.pcap"
check "mistyped command: suggestion" says_usage "pktmask" "unknown command 'sanitze'; did you mean 'sanitize'?"
no_output "$WORK/out.pcap" "mistyped command"
expect_exit 2 "swapped letters" "$PKTMASK" --no-such-flag verfiy
check "swapped letters: suggestion" grep -qF "did you mean 'verify'?" "$WORK/last.err"
expect_exit 2 "unknown command" "$PKTMASK" frobnicate
check "unknown command: lists the commands" says_usage "pktmask" \
  "unknown command 'frobnicate' (commands: mark, mask, sanitize, verify, capture, anon, report, completion)"
expect_exit 2 "no command" "$PKTMASK"
check "no command: main help" says_usage "pktmask" "A subcommand is required"

# A usage error of each command points to that command's help.
expect_exit 2 "mark without input" "$PKTMASK" mark
check "mark: its help" says_usage "pktmask mark" "input is required"
expect_exit 2 "mask without -o" "$PKTMASK" mask "$sample"
check "mask: its help" says_usage "pktmask mask" "--output is required"
expect_exit 2 "sanitize without -o" "$PKTMASK" sanitize "$sample"
check "sanitize: its help" says_usage "pktmask sanitize" "--output is required"
expect_exit 2 "sanitize, unknown option" "$PKTMASK" sanitize "$sample" -o "$WORK/out.pcap" --no-such-option
check "sanitize, unknown option: its help" grep -qxF "Run 'pktmask sanitize --help' for usage." "$WORK/last.err"
expect_exit 2 "verify without arguments" "$PKTMASK" verify
check "verify: its help" grep -qxF "Run 'pktmask verify --help' for usage." "$WORK/last.err"
expect_exit 100 "capture without a source" "$PKTMASK" capture -O "$WORK/capture"
check "capture: its help" grep -qxF "Run 'pktmask capture --help' for usage." "$WORK/last.err"
# Found only when the command runs, not by the parser: the same hint.
mkdir -p "$WORK/empty"
expect_exit 2 "batch without captures" "$PKTMASK" sanitize "$WORK/empty" -O "$WORK/safe"
check "batch without captures: its help" says_usage "pktmask sanitize" \
  "no capture files (*.pcap, *.pcapng, *.cap, also .gz or .zst) in $WORK/empty (-R descends into subdirectories)"

# The documents a user reads carry no half-resolved merge.
check "docs: no merge conflict markers" bash -c "! grep -rnE '^(<<<<<<<|>>>>>>>) ' '$SRC/README.md' '$SRC/docs'"
finish
