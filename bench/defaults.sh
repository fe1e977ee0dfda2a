# Sourced by the bench scripts: the capture (first argument) and the pktmask
# binary ($PKTMASK, else build/pktmask or build/cli/pktmask).
HERE=$(cd "$(dirname -- "${BASH_SOURCE[1]}")" && pwd)
IN=${1:-$HERE/out/big.pcap}
if [[ -z ${PKTMASK:-} ]]; then
    PKTMASK=./build/pktmask
    [[ ! -x $PKTMASK && -x ./build/cli/pktmask ]] && PKTMASK=./build/cli/pktmask
fi
