#!/usr/bin/env python3
"""Cross-checks a corpus written by pktmask-gen-corpus against tshark.

    check_corpus.py OUTDIR

For every manifest line it checks, without using any generator code:
  * input and expected files have the same size and packet layout
    (a small pcap/pcapng reader here, independent of the C++ writers);
  * every byte that differs lies in a TCP payload or TCP checksum field,
    as tshark's PDML places them (outermost TCP only, not ICMP quotes), or
    in the checksum field of the UDP (VXLAN, Geneve) or GRE header of a
    tunnel around that TCP;
  * per frame, timestamps, lengths and the IP/UDP/ICMP/GRE checksum statuses
    are equal (so an outer checksum good in the input is good in the
    output), and a TCP checksum good in the input is good in the output;
and it lists frames where tshark's TLS record view differs between input
and expected (expected only where the walk stops or a direction is masked).
Exit status 1 if any check fails.
"""
import os
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

CHECKSUM_FIELDS = ['tcp.checksum.status', 'ip.checksum.status', 'udp.checksum.status',
                   'icmp.checksum.status', 'icmpv6.checksum.status', 'frame.time_epoch',
                   'frame.len', 'frame.cap_len', 'gre.checksum.status']
TLS_FIELDS = ['tls.record.content_type', 'tls.record.opaque_type', 'tls.record.length',
              'tls.record.version', 'tls.handshake.type', 'tls.handshake.extensions_server_name']
NOT_A_PACKET = '!frame.cb_copy'  # Wireshark lists pcapng custom blocks as records


def packet_spans(path):
    """(file offset of the data, captured length) of every packet."""
    data = open(path, 'rb').read()
    if data[:4] == b'\x0a\x0d\x0d\x0a':
        return list(_pcapng_spans(data))
    return list(_pcap_spans(data))


def _pcap_spans(data):
    magics = (0xa1b2c3d4, 0xa1b23c4d, 0xa1b2cd34)
    order = '<' if struct.unpack('<I', data[:4])[0] in magics else '>'
    record = 24 if struct.unpack(order + 'I', data[:4])[0] == 0xa1b2cd34 else 16
    at = 24
    while at < len(data):
        caplen = struct.unpack(order + 'I', data[at + 8:at + 12])[0]
        yield at + record, caplen
        at += record + caplen


def _pcapng_spans(data):
    at, order, snaplens = 0, '<', []
    while at < len(data):
        if data[at:at + 4] == b'\x0a\x0d\x0d\x0a':
            order = '<' if data[at + 8:at + 12] == b'\x4d\x3c\x2b\x1a' else '>'
            snaplens = []
        kind, length = struct.unpack(order + 'II', data[at:at + 8])
        body = at + 8
        if kind == 1:
            snaplens.append(struct.unpack(order + 'I', data[body + 4:body + 8])[0])
        elif kind in (2, 6):
            yield body + 20, struct.unpack(order + 'I', data[body + 12:body + 16])[0]
        elif kind == 3:
            original = struct.unpack(order + 'I', data[body:body + 4])[0]
            yield body + 4, original if snaplens[0] == 0 else min(original, snaplens[0])
        at += length


def tshark_fields(path, fields):
    cmd = ['tshark', '-r', path, '-Y', NOT_A_PACKET, '-o', 'tcp.check_checksum:TRUE',
           '-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE',
           '-T', 'fields', '-E', 'occurrence=a']
    for field in fields:
        cmd += ['-e', field]
    run = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return [line.split('\t') for line in run.stdout.splitlines()]


def changeable_ranges(path):
    """Per frame: [lo, hi) of the outermost TCP payload and checksum, and of
    the checksums of a tunnel (VXLAN/Geneve UDP, GRE) around it."""
    run = subprocess.run(['tshark', '-r', path, '-T', 'pdml', '-o', 'tcp.desegment_tcp_streams:FALSE'],
                         capture_output=True, text=True, check=True)
    frames = []
    for pkt in ET.fromstring(run.stdout).findall('packet'):
        if 'Custom Block' in pkt.find("proto[@name='frame']").get('showname', ''):
            continue
        protos = pkt.findall('proto')
        names = [p.get('name') for p in protos]
        tcp = next((p for p in protos if p.get('name') == 'tcp'), None)
        ranges = []
        if tcp is not None:
            fields = {f.get('name'): f for f in tcp.iter('field')}
            start = int(tcp.get('pos'))
            header, payload = int(fields['tcp.hdr_len'].get('show')), int(fields['tcp.len'].get('show'))
            checksum = int(fields['tcp.checksum'].get('pos'))
            ranges = [(checksum, checksum + 2), (start + header, start + header + payload)]
            tunneled = 'vxlan' in names or 'geneve' in names
            for proto, field in (('udp', 'udp.checksum'), ('gre', 'gre.checksum')):
                for outer in protos[:names.index('tcp')]:
                    if outer.get('name') != proto or (proto == 'udp' and not tunneled):
                        continue
                    found = next((f for f in outer.iter('field') if f.get('name') == field), None)
                    if found is not None:
                        at = int(found.get('pos'))
                        ranges.append((at, at + 2))
        frames.append(ranges)
    return frames


def check_case(out_dir, name, input_file, expected_file):
    problems = []
    ip, ep = os.path.join(out_dir, input_file), os.path.join(out_dir, expected_file)
    a, b = open(ip, 'rb').read(), open(ep, 'rb').read()
    spans = packet_spans(ip)
    if len(a) != len(b) or spans != packet_spans(ep):
        return [f'{name}: file size or packet layout differs']
    ranges = changeable_ranges(ip)
    if len(ranges) != len(spans):
        return [f'{name}: tshark sees {len(ranges)} packets, the reader {len(spans)}']
    frame = 0
    for at in (i for i in range(len(a)) if a[i] != b[i]):
        while frame < len(spans) and sum(spans[frame]) <= at:
            frame += 1
        inside = frame < len(spans) and spans[frame][0] <= at
        relative = at - spans[frame][0] if inside else -1
        if not inside or not any(lo <= relative < hi for lo, hi in ranges[frame]):
            problems.append(f'{name}: byte {at} (frame {frame + 1}) changed outside TCP payload/checksum')
            break
    for number, (x, y) in enumerate(zip(tshark_fields(ip, CHECKSUM_FIELDS),
                                        tshark_fields(ep, CHECKSUM_FIELDS)), 1):
        if x[1:] != y[1:]:
            problems.append(f'{name}: frame {number}: non-TCP fields differ: {x} / {y}')
        quoted = x[3] or x[4]  # TCP inside an ICMP error is not followed
        if not quoted and x[0] == '1' and y[0] != '1':
            problems.append(f'{name}: frame {number}: TCP checksum good in input, not in expected')
    return problems


def tls_view_changes(out_dir, input_file, expected_file):
    a = tshark_fields(os.path.join(out_dir, input_file), TLS_FIELDS)
    b = tshark_fields(os.path.join(out_dir, expected_file), TLS_FIELDS)
    return [n for n, (x, y) in enumerate(zip(a, b), 1) if x != y]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out_dir = sys.argv[1]
    problems = []
    for line in open(os.path.join(out_dir, 'manifest.tsv')):
        name, input_file, expected_file, _ = line.rstrip('\n').split('\t')
        found = check_case(out_dir, name, input_file, expected_file)
        problems += found
        changed = tls_view_changes(out_dir, input_file, expected_file)
        print(f'{name:32} {"FAIL" if found else "ok  "} tshark TLS view differs in frames {changed}')
    for problem in problems:
        print('PROBLEM', problem)
    sys.exit(1 if problems else 0)


if __name__ == '__main__':
    main()
