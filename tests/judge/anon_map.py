"""The address mapping judge_anon.py expects, written here from the
Crypto-PAn paper (Xu, Fan, Ammar, Moon 2002) and the rules of issue 12:
shares nothing with pktmask.  AES comes from python3-cryptography.

Crypto-PAn over n bits (32 for IPv4, 128 for IPv6): key[0:16] is the AES
key, pad = AES(key[16:32]); output bit i = input bit i XOR the top bit of
AES(first i bits of the input, then the pad's bits from i on).

Rules (settings):
* --anon-keep prefixes: unchanged.
* preserve special (default): loopback, multicast, broadcast, unspecified
  unchanged; link-local keeps its prefix.
* preserve class: 10/8, 172.16/12, 192.168/16, fc00::/7 keep their prefix.
* every other address: Crypto-PAn, applied again while the result lies in
  one of the ranges above (cycle-walking), so it lands outside them.
A prefix-kept address takes the low bits of Crypto-PAn, walked the same way
while it lands in a kept prefix inside its range.
"""

import ipaddress

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

SPECIAL_SAME = {4: ["127.0.0.0/8", "224.0.0.0/4", "255.255.255.255/32",
                    "0.0.0.0/32"],
                6: ["::1/128", "ff00::/8", "::/128"]}
SPECIAL_PREFIX = {4: ["169.254.0.0/16"], 6: ["fe80::/10"]}
CLASS_PREFIX = {4: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"],
                6: ["fc00::/7"]}


def net(text):
    return ipaddress.ip_network(text)


class Range:
    """A prefix as (length, value) over the address's bits."""
    __slots__ = ("bits", "length", "value")

    def __init__(self, network):
        self.bits = network.max_prefixlen
        self.length = network.prefixlen
        self.value = int(network.network_address) >> (self.bits - self.length)

    def contains(self, x, bits):
        return bits == self.bits and x >> (bits - self.length) == self.value


class CryptoPAn:
    def __init__(self, key):
        if len(key) != 32:
            raise ValueError("a key is 32 bytes")
        self._aes = Cipher(algorithms.AES(bytes(key[:16])), modes.ECB()).encryptor()
        self._pad = int.from_bytes(self._aes.update(bytes(key[16:32])), "big")

    def _bit(self, block):
        return self._aes.update(block.to_bytes(16, "big"))[0] >> 7

    def anonymize(self, x, bits):
        """Crypto-PAn of the `bits`-bit integer x."""
        flips = 0
        for i in range(bits):
            # The 128-bit AES input: x's first i bits, then the pad's.
            keep = ((1 << i) - 1) << (128 - i)
            top = (x >> (bits - i) << (128 - i)) if i else 0
            block = top | (self._pad & ~keep & ((1 << 128) - 1))
            flips = (flips << 1) | self._bit(block)
        return x ^ flips

    def deanonymize(self, y, bits):
        """The inverse: bit by bit, each original bit known from the ones
        before it."""
        x = 0
        for i in range(bits):
            keep = ((1 << i) - 1) << (128 - i)
            top = (x >> (bits - i) << (128 - i)) if i else 0
            block = top | (self._pad & ~keep & ((1 << 128) - 1))
            bit = ((y >> (bits - 1 - i)) & 1) ^ self._bit(block)
            x |= bit << (bits - 1 - i)
        return x


class Settings:
    def __init__(self, ip=True, mac=True, special=True, klass=False,
                 keep_oui=False, keep=()):
        self.ip, self.mac, self.special, self.klass = ip, mac, special, klass
        self.keep_oui = keep_oui
        self.keep = [Range(net(k)) for k in keep]


class Mapper:
    """The expected anonymization of IPv4/IPv6 addresses (bytes in, bytes
    out), with a cache: recorded captures repeat their addresses."""

    def __init__(self, key, settings):
        self.pan = CryptoPAn(key)
        self.s = settings
        self.cache = {}
        self.same = {b: [Range(net(p)) for p in SPECIAL_SAME[v]] if settings.special else []
                     for v, b in ((4, 32), (6, 128))}
        prefixed = {4: [], 6: []}
        for v in (4, 6):
            if settings.special:
                prefixed[v] += SPECIAL_PREFIX[v]
            if settings.klass:
                prefixed[v] += CLASS_PREFIX[v]
        self.prefixed = {b: [Range(net(p)) for p in prefixed[v]]
                         for v, b in ((4, 32), (6, 128))}

    def _kept(self, x, bits):
        return any(r.contains(x, bits) for r in self.s.keep)

    def reserved(self, x, bits):
        return self._kept(x, bits) or any(
            r.contains(x, bits) for r in self.same[bits] + self.prefixed[bits])

    def _walk(self, x, bits, inside, step):
        """step(x) until the result leaves every range `inside` says."""
        y = step(x)
        while inside(y, bits):
            y = step(y)
        return y

    def _map_int(self, x, bits, reverse):
        if self._kept(x, bits) or any(r.contains(x, bits) for r in self.same[bits]):
            return x
        fwd = lambda v: self.pan.anonymize(v, bits)    # noqa: E731
        inv = lambda v: self.pan.deanonymize(v, bits)  # noqa: E731
        for r in self.prefixed[bits]:
            if r.contains(x, bits):
                low = (1 << (bits - r.length)) - 1
                if reverse:
                    # The prefix's image under Crypto-PAn with these low
                    # bits is the input whose Crypto-PAn gave them.
                    def step(v):
                        return inv((fwd(v) & ~low) | (v & low))
                else:
                    def step(v):
                        return (v & ~low) | (fwd(v) & low)
                return self._walk(x, bits, self._kept, step)
        return self._walk(x, bits, self.reserved, inv if reverse else fwd)

    def map(self, addr, reverse=False):
        """The anonymized (reverse: original) form of a 4- or 16-byte
        address; unchanged when the settings leave IPs alone."""
        if not self.s.ip:
            return bytes(addr)
        k = (bytes(addr), reverse)
        if k not in self.cache:
            bits = 8 * len(addr)
            y = self._map_int(int.from_bytes(addr, "big"), bits, reverse)
            self.cache[k] = y.to_bytes(len(addr), "big")
        return self.cache[k]


def text(addr):
    if len(addr) == 6:
        return ":".join("%02x" % b for b in addr)
    return str(ipaddress.ip_address(bytes(addr)))


def parse_ip(s):
    return ipaddress.ip_address(s.strip()).packed
