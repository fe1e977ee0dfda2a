#!/bin/sh
# Self-test of the output judge: builds tiny captures on the fly (mkcaps.py)
# and checks that judge.py accepts correct maskings and rejects broken ones.
# Needs python3 and tshark.  Prints "N passed, M failed"; exits 0 only when
# nothing failed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
judge="$here/judge.py"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/judge-selftest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if ! python3 "$here/mkcaps.py" "$tmp"; then
    echo "selftest: cannot build the test captures"
    echo "0 passed, 1 failed"
    exit 1
fi
cd "$tmp" || exit 1

passed=0
failed=0

# check NAME WANTED_EXIT PATTERN JUDGE-ARGS...
# Runs the judge; passes when the exit status is WANTED_EXIT and the output
# (stdout and stderr) has a line matching the extended regex PATTERN.
check() {
    local name=$1 want=$2 pattern=$3
    shift 3
    local out rc
    out=$(python3 "$judge" "$@" 2>&1)
    rc=$?
    if [ "$rc" -eq "$want" ] && printf '%s\n' "$out" | grep -qE -- "$pattern"
    then
        passed=$((passed + 1))
        echo "ok   $name"
    else
        failed=$((failed + 1))
        echo "FAIL $name: exit $rc (wanted $want), pattern '$pattern'"
        printf '%s\n' "$out" | sed -n '1,6s/^/     /p'
    fi
}

# expect NAME COMMAND...: passes when COMMAND succeeds.
expect() {
    local name=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
        echo "ok   $name"
    else
        failed=$((failed + 1))
        echo "FAIL $name"
    fi
}

ok='^judge: ok \([0-9]+ packets, [0-9]+ payload bytes zeroed, [0-9]+ kept\)$'

# --- accepted -------------------------------------------------------------
check accept_masking 0 \
    '^judge: ok \(15 packets, 83 payload bytes zeroed, 244 kept\)$' \
    base.pcap base.masked.pcap
check accept_identical_copy 0 \
    '^judge: ok \(15 packets, 0 payload bytes zeroed, 327 kept\)$' \
    base.pcap base.pcap
check accept_fixed_bad_checksum 0 "$ok" base.pcap ok.checksum_fixed.pcap
check accept_unmasked_byte 0 "$ok" base.pcap ok.kept_byte.pcap
check accept_expected 0 "$ok" base.pcap base.masked.pcap \
    --expected base.masked.pcap
check accept_pcap_ns_big_endian 0 "$ok" base.ns_be.pcap base.ns_be.masked.pcap
check accept_pcap_us_big_endian 0 "$ok" base.us_be.pcap base.us_be.masked.pcap
check accept_pcap_modified 0 "$ok" \
    base.modified_le.pcap base.modified_le.masked.pcap
check accept_pcapng_two_sections 0 "$ok" base.pcapng base.masked.pcapng
check accept_tls_view 0 "$ok" tls.pcap tls.masked.pcap --tls-view

# --- rejected -------------------------------------------------------------
check reject_ip_header_byte 1 \
    '^judge: bad.ip_ttl.pcap: packet 3: 1 byte\(s\) outside the TCP payload changed, first at offset 22 \(ip\)' \
    base.pcap bad.ip_ttl.pcap
check reject_nonzero_payload_byte 1 \
    '^judge: bad.payload_nonzero.pcap: packet 7: 1 TCP payload byte\(s\) changed to a non-zero value' \
    base.pcap bad.payload_nonzero.pcap
check reject_timestamp 1 \
    '^judge: bad.timestamp.pcap: packet 2: timestamp fraction changed' \
    base.pcap bad.timestamp.pcap
check reject_missing_packet 1 \
    '^judge: bad.missing.pcap: packet 15: missing in the sanitized file' \
    base.pcap bad.missing.pcap
check reject_broken_tcp_checksum 1 \
    '^judge: bad.tcp_checksum.pcap: packet 7: TCP checksum .* verified in the original but is bad' \
    base.pcap bad.tcp_checksum.pcap
check reject_broken_udp_checksum 1 \
    '^judge: bad.udp_checksum.pcap: packet 12: UDP checksum' \
    base.pcap bad.udp_checksum.pcap
check reject_broken_gre_checksum 1 \
    '^judge: bad.gre_checksum.pcap: packet 13: GRE checksum' \
    base.pcap bad.gre_checksum.pcap
check reject_changed_icmp_quote 1 \
    '^judge: bad.icmp.pcap: packet 9: .* \(icmp\)' \
    base.pcap bad.icmp.pcap
check reject_changed_ethernet_trailer 1 \
    '^judge: bad.trailer.pcap: packet 10: 1 byte\(s\) outside the TCP payload' \
    base.pcap bad.trailer.pcap
check reject_changed_fragment 1 \
    '^judge: bad.fragment.pcap: packet 15: 1 payload byte\(s\) of an IP fragment changed' \
    base.pcap bad.fragment.pcap
check reject_modified_pcap_header 1 \
    '^judge: bad.modified_ifindex.pcap: packet 1: interface index changed' \
    base.modified_le.pcap bad.modified_ifindex.pcap
check reject_pcapng_custom_block 1 \
    '^judge: bad.custom_block.pcapng: block 10 .* is a block 10 \(type 0xbad\)' \
    base.pcapng bad.custom_block.pcapng
check reject_pcapng_epb_option 1 \
    '^judge: bad.epb_option.pcapng: packet 1: EPB of 104 bytes \(54 bytes of data\) where the original has 88' \
    base.pcapng bad.epb_option.pcapng
check reject_expected_mismatch 1 \
    '^judge: ok.kept_byte.pcap: packet 7: differs from base.masked.pcap at byte' \
    base.pcap ok.kept_byte.pcap --expected base.masked.pcap
check reject_tls_app_data 1 \
    '^judge: bad.tls_app_data.pcap: packet 5: tls.app_data #1 is not all zero' \
    tls.pcap bad.tls_app_data.pcap --tls-view
# The leaked byte is unchanged from the input, so only the TLS view sees it.
check tls_leak_needs_tls_view 0 "$ok" tls.pcap bad.tls_app_data.pcap
check reject_truncated_output 1 \
    '^judge: bad.truncated.pcap: packet 15: is a truncated trailing record' \
    base.pcap bad.truncated.pcap
check reject_garbage_output 1 \
    '^judge: bad.garbage.pcap: file: not a well-formed capture' \
    base.pcap bad.garbage.pcap
check report_at_most_20_failures 1 '^judge: FAIL \(30 failures, 20 shown\)$' \
    many.pcap bad.many_timestamps.pcap
lines=$(python3 "$judge" many.pcap bad.many_timestamps.pcap | wc -l)
expect report_line_count test "$lines" -eq 21
expect json_summary sh -c 'python3 "$1" --json base.pcap bad.ip_ttl.pcap |
    python3 -c "import json, sys
d = json.load(sys.stdin)
assert d[\"ok\"] is False and d[\"failure_count\"] == 1, d
assert d[\"failures\"][0][\"where\"] == \"packet 3\", d
assert \"payload\" in d[\"checks\"] and d[\"packets\"] == 15, d"' sh "$judge"

# --- usage and unreadable input --------------------------------------------
check usage_no_arguments 2 'usage'
check usage_missing_file 2 'no-such.pcap' base.pcap no-such.pcap
check usage_original_not_a_capture 2 'not a capture' \
    "$here/selftest.sh" base.pcap

# --- judge_v2: masking policy v2 ---------------------------------------------
# selftest_v2.py writes the crafted captures, correct outputs built from the
# judge's expectation and outputs with one mistake each, and prints one
# check a line: NAME, WANTED_EXIT, PATTERN and the judge's arguments, tab
# separated.
# run_cases SCRIPT NAME: runs SCRIPT's checks with $judge.
run_cases() {
    local tab
    tab=$(printf '\t')
    if python3 "$here/$1" "$tmp/$2" >"$tmp/$2.checks"; then
        while IFS=$tab read -r name want pattern args; do
            # shellcheck disable=SC2086
            check "$name" "$want" "$pattern" $args
        done <"$tmp/$2.checks"
    else
        failed=$((failed + 1))
        echo "FAIL $1: cannot build the cases"
    fi
}
judge="$here/judge_v2.py"
run_cases selftest_v2.py v2
expect v2_pinned_expectations python3 "$here/selftest_v2.py" --pinned "$tmp/v2/caps"
check v2_usage_no_arguments 2 'usage'
check v2_usage_original_not_a_capture 2 'not a capture' "$here/selftest.sh" base.pcap

# --- judge_anon: anonymized addresses (issue 12) -----------------------------
# selftest_anon.py writes captures with an address in every location, their
# correct anonymization and outputs with one mistake each (same line format),
# plus the Crypto-PAn reference vectors through --map.
judge="$here/judge_anon.py"
run_cases selftest_anon.py anon
expect anon_map_properties python3 "$here/selftest_anon.py" --properties
check anon_usage_no_key 2 'usage|required' base.pcap base.pcap

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
