#!/usr/bin/env bash
# A capture split into segments (editcap -c N) and marked segment by segment
# with carried state (--state-in/--state-out), each segment masked, then
# merged (mergecap -a), holds exactly the packets sanitizing it whole gives.
# N=1 splits every record header that spans two segments across two files;
# N=5 carries state out of segments of several packets (N=2 added nothing
# either does not cover, at a quarter of this test's time).
. "$(dirname "$0")/lib.sh"
: "${GEN_CORPUS:?set GEN_CORPUS to the corpus generator}"
"$GEN_CORPUS" "$WORK/corpus" >/dev/null
# editcap cannot rewrite pcapng_custom_block and pcapng_multi_section
# (Wireshark's writer drops what they test). In `reordering` a direction
# without a SYN has its lowest sequence number in a later segment: the
# policy's stream start looks ahead in the capture, which a segment cannot
# (docs/usage.md, --state-in).
skip=" pcapng_custom_block pcapng_multi_section reordering "

split_and_compare() {  # split_and_compare NAME INPUT SIZE...
  local name=$1 in=$2 ext="${2##*.}"
  shift 2
  "$PKTMASK" sanitize --engine native "$in" -o "$WORK/$name.whole.$ext"
  for size in "$@"; do
    local dir="$WORK/$name.split$size"
    mkdir -p "$dir"
    editcap -c "$size" "$in" "$dir/part.$ext" 2>/dev/null
    local state="" parts=()
    for part in $(ls "$dir"/part_* | sort); do
      local next="$part.state.json"
      "$PKTMASK" mark --engine native "$part" ${state:+--state-in "$state"} --state-out "$next" \
        | "$PKTMASK" mask -o "$part.safe" || { fail "$name/-c $size: $(basename "$part") failed"; return; }
      state=$next
      parts+=("$part.safe")
    done
    mergecap -a -w "$dir/merged.$ext" "${parts[@]}" 2>/dev/null
    check "$name/-c $size: segments == whole ($(python3 "$SRC/tests/e2e/same_packets.py" "$dir/merged.$ext" "$WORK/$name.whole.$ext"))" \
      python3 "$SRC/tests/e2e/same_packets.py" "$dir/merged.$ext" "$WORK/$name.whole.$ext"
  done
}

while IFS=$'\t' read -r name input _; do
  [ -n "$name" ] || continue
  [[ "$skip" == *" $name "* ]] && continue
  split_and_compare "$name" "$WORK/corpus/$input" 1 5
done <"$WORK/corpus/manifest.tsv"
for file in "$SRC"/testdata/tls/*.pcap; do
  split_and_compare "$(basename "$file" .pcap)" "$file" 3 50
done
finish
