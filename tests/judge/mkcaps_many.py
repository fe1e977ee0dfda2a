#!/usr/bin/env python3
"""mkcaps_many.py OUT.pcap N: a capture of N TCP connections, each a SYN, a
SYN-ACK and one TLS handshake record (a minimal TLS 1.2 ClientHello), for the
report's scale test (tests/e2e/report_browser.sh). Plain bytes written with
struct: Ethernet, IPv4 and TCP headers with correct checksums, one connection
per millisecond, client 10.1.x.y:40000+ to server 10.0.0.1:443.
"""
import struct
import sys

SERVER_IP = bytes([10, 0, 0, 1])
SERVER_MAC = bytes.fromhex("020000000001")
CLIENT_MAC = bytes.fromhex("020000000002")


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def client_hello():
    body = struct.pack("!H", 0x0303) + bytes(32) + b"\x00" + struct.pack("!HH", 2, 0x1301) + b"\x01\x00"
    body += struct.pack("!H", 0)
    handshake = b"\x01" + len(body).to_bytes(3, "big") + body
    return b"\x16\x03\x01" + struct.pack("!H", len(handshake)) + handshake


def packet(src, dst, sport, dport, seq, ack, flags, payload, from_client):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 64240, 0, 0) + payload
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    macs = SERVER_MAC + CLIENT_MAC if from_client else CLIENT_MAC + SERVER_MAC
    return macs + b"\x08\x00" + ip + tcp


def main():
    out, count = sys.argv[1], int(sys.argv[2])
    hello = client_hello()
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i in range(count):
            client = bytes([10, 1, (i >> 8) & 0xFF, i & 0xFF])
            port = 40000 + i % 20000
            base_us = 1_700_000_000_000_000 + i * 1000
            frames = [
                (0, packet(client, SERVER_IP, port, 443, 1000, 0, 0x02, b"", True)),
                (100, packet(SERVER_IP, client, 443, port, 5000, 1001, 0x12, b"", False)),
                (200, packet(client, SERVER_IP, port, 443, 1001, 5001, 0x18, hello, True)),
            ]
            for offset, data in frames:
                t = base_us + offset
                f.write(struct.pack("<IIII", t // 1_000_000, t % 1_000_000, len(data), len(data)) + data)


if __name__ == "__main__":
    main()
