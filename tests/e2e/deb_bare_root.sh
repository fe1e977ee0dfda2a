# The Debian package in a bare Debian 12 root (debootstrap --variant=minbase):
# `make package`'s .deb installs with apt, which finds every library it
# needs from its Depends alone; without its recommends (no tshark) the
# native engine works and --version says "tshark: none"; with tshark the
# demo runs from the installed binary; removing the package leaves nothing.
# Needs root and a Debian mirror. Every mount lives in a private mount
# namespace, so nothing is left mounted whatever happens.
source "$(dirname "$0")/lib.sh"
: "${BUILD:?set BUILD to the build directory}"
root="$WORK/root"
trap 'rm -rf "$root"' EXIT

# The package, built the way `make package` builds it.
cpack --config "$BUILD/CPackConfig.cmake" -B "$WORK/pkg" >"$WORK/cpack.log" 2>&1
deb=$(ls "$WORK"/pkg/pktmask_*_amd64.deb 2>/dev/null | head -1)
check "make package: pktmask_<version>_amd64.deb" test -f "$deb"
check "depends: no tshark" test -z "$(dpkg-deb -f "$deb" Depends | grep -w tshark)"
check "recommends: tshark" test "$(dpkg-deb -f "$deb" Recommends)" = tshark
check "depends: computed from the libraries" grep -q 'libpcap0.8' <(dpkg-deb -f "$deb" Depends)

# The same mirror as this machine's apt, where there is one.
mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | grep -v security | head -1)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && !/security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' \
  /etc/apt/sources.list 2>/dev/null)
mirror=${mirror:-http://deb.debian.org/debian}
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$WORK/debootstrap.log" 2>&1
check "debootstrap --variant=minbase bookworm ($mirror)" test -x "$root/bin/sh"

sample="$SRC/testdata/tls/nginx_large_chain.pcap"
mkdir -p "$root/tmp/demo/tools" "$root/tmp/demo/testdata/tls"
cp "$deb" "$root/tmp/"
cp "$SRC/tools/demo.sh" "$root/tmp/demo/tools/"
cp "$sample" "$root/tmp/demo/testdata/tls/"
cp /etc/resolv.conf "$root/etc/"
# Services in a chroot must not start.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"

cat >"$root/tmp/steps.sh" <<'STEPS'
set -eu
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
step() { echo "== $*"; }
step apt-get update; apt-get update -q >/tmp/apt.log 2>&1
step install without recommends; apt-get install -y -q --no-install-recommends /tmp/pktmask_*.deb >>/tmp/apt.log 2>&1
step version-without-tshark; pktmask --version >/tmp/version-without.txt
step native; pktmask sanitize --engine native /tmp/demo/testdata/tls/nginx_large_chain.pcap -o /tmp/native.pcap
step installed-files; dpkg -L pktmask >/tmp/files.txt
step install tshark; apt-get install -y -q tshark >>/tmp/apt.log 2>&1
step version-with-tshark; pktmask --version >/tmp/version-with.txt
step demo; cd /tmp/demo && sh tools/demo.sh /usr/bin/pktmask >/tmp/demo.txt 2>&1
step remove; dpkg --purge pktmask >>/tmp/apt.log 2>&1
step done
STEPS
unshare --mount sh -c '
  set -e
  mount --make-rprivate /
  mount -t proc proc "$1/proc"
  mount --rbind /dev "$1/dev"
  chroot "$1" /bin/sh /tmp/steps.sh' sh "$root" >"$WORK/steps.log" 2>&1
check "every step ran in the bare root ($(tail -1 "$WORK/steps.log"))" test "$(tail -1 "$WORK/steps.log")" = "== done"
[ "$(tail -1 "$WORK/steps.log")" = "== done" ] || tail -20 "$root/tmp/apt.log" >&2

check "without tshark: --version says none" grep -qE '^tshark: +none$' "$root/tmp/version-without.txt"
check "--version: policy 2" grep -qE '^policy: +masking policy version 2$' "$root/tmp/version-without.txt"
"$PKTMASK" sanitize --engine native "$sample" -o "$WORK/native.pcap"
check "without tshark: the native engine gives the bytes this build gives" cmp -s "$root/tmp/native.pcap" "$WORK/native.pcap"
check "installed: man pages" grep -q '^/usr/share/man/man1/pktmask-sanitize.1.gz$' "$root/tmp/files.txt"
check "installed: bash completion" grep -q '^/usr/share/bash-completion/completions/pktmask$' "$root/tmp/files.txt"
check "installed: zsh completion" grep -q '^/usr/share/zsh/vendor-completions/_pktmask$' "$root/tmp/files.txt"
check "installed: docs" grep -q '^/usr/share/doc/pktmask/usage.md$' "$root/tmp/files.txt"
check "with tshark: --version names it" grep -qE '^tshark: +[0-9]+\.[0-9]+\.[0-9]+$' "$root/tmp/version-with.txt"
check "demo: the sanitized capture" grep -q '^Sanitized capture: out/demo.sanitized.pcap$' "$root/tmp/demo.txt"
check "demo: the report" test -s "$root/tmp/demo/out/demo.report.html"
check "demo: tshark reads the output" tshark -r "$root/tmp/demo/out/demo.sanitized.pcap" -c 1
check "purge: the binary is gone" test ! -e "$root/usr/bin/pktmask"
check "purge: nothing of pktmask left" test -z "$(find "$root/usr" -name '*pktmask*')"

echo "deb_bare_root: $passed passed, $failed failed"
[ "$failed" = 0 ]
