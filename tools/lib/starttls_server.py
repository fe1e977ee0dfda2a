#!/usr/bin/env python3
"""starttls_server.py PROTO ADDR PORT CERT KEY

A one-connection server for recording real STARTTLS traffic: it speaks the
plaintext preamble of PROTO the way `openssl s_client -starttls PROTO`
expects it (apps/s_client.c), switches the same TCP connection to TLS,
reads one line from the client, answers with one line, waits for the
client's close_notify, sends its own and closes.

PROTO is one of smtp, imap, pop3, ftp, xmpp, ldap, postgres, mysql. Standard
library only (socket, ssl). Prints "listening" once the socket listens; any
protocol surprise is an error on stderr and exit 1.
"""

import socket
import ssl
import sys

TIMEOUT_S = 20


class Peer:
    """The plaintext side of the connection. Reads never go past what the
    preamble needs, so the first byte of the client's TLS ClientHello stays
    in the socket for the TLS layer."""

    def __init__(self, sock):
        self.sock = sock

    def send(self, data):
        self.sock.sendall(data)

    def read_exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise RuntimeError("client closed during the preamble")
            data += chunk
        return data

    def read_until(self, end):
        data = b""
        while not data.endswith(end):
            data += self.read_exact(1)
        return data

    def expect_line(self, want):
        line = self.read_until(b"\n")
        if want not in line:
            raise RuntimeError("expected %r, got %r" % (want, line))
        return line


def smtp(peer):  # RFC 3207
    peer.send(b"220 server.test ESMTP pktmask lab\r\n")
    peer.expect_line(b"EHLO ")
    peer.send(b"250-server.test greets the client\r\n250-PIPELINING\r\n250 STARTTLS\r\n")
    peer.expect_line(b"STARTTLS")
    peer.send(b"220 2.0.0 Ready to start TLS\r\n")


def imap(peer):  # RFC 2595 / RFC 9051
    peer.send(b"* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] server.test IMAP ready\r\n")
    tag = peer.expect_line(b"CAPABILITY").split(b" ")[0]
    peer.send(b"* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\n" + tag + b" OK CAPABILITY completed\r\n")
    tag = peer.expect_line(b"STARTTLS").split(b" ")[0]
    peer.send(tag + b" OK Begin TLS negotiation now\r\n")


def pop3(peer):  # RFC 2595
    peer.send(b"+OK server.test POP3 ready\r\n")
    peer.expect_line(b"STLS")
    peer.send(b"+OK Begin TLS negotiation\r\n")


def ftp(peer):  # RFC 4217
    peer.send(b"220 server.test FTP ready\r\n")
    peer.expect_line(b"AUTH TLS")
    peer.send(b"234 AUTH TLS successful\r\n")


def xmpp(peer):  # RFC 6120 section 5
    header = peer.read_until(b">")
    if header.startswith(b"<?xml"):
        header += peer.read_until(b">")
    if b"<stream:stream" not in header:
        raise RuntimeError("expected a stream header, got %r" % header)
    peer.send(b"<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
              b" xmlns:stream='http://etherx.jabber.org/streams' id='pktmask-lab-stream'"
              b" from='server.test' version='1.0'><stream:features>"
              b"<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
              b"</stream:features>")
    request = peer.read_until(b"/>")
    if b"<starttls" not in request:
        raise RuntimeError("expected <starttls/>, got %r" % request)
    peer.send(b"<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")


LDAP_STARTTLS_OID = b"1.3.6.1.4.1.1466.20037"


def ber(tag, value):
    """One BER element with a definite length (short or long form)."""
    n = len(value)
    if n < 0x80:
        length = bytes([n])
    else:
        octets = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(octets)]) + octets
    return bytes([tag]) + length + value


def ldap(peer):  # RFC 4511 sections 4.12 and 4.14
    tag, first = peer.read_exact(2)
    if tag != 0x30:
        raise RuntimeError("expected an LDAPMessage SEQUENCE, got tag 0x%02x" % tag)
    if first & 0x80:
        length = int.from_bytes(peer.read_exact(first & 0x7F), "big")
    else:
        length = first
    request = peer.read_exact(length)
    if LDAP_STARTTLS_OID not in request:
        raise RuntimeError("expected the StartTLS extended request, got %r" % request)
    extended_response = (ber(0x0A, b"\x00")               # resultCode success
                         + ber(0x04, b"")                 # matchedDN
                         + ber(0x04, b"")                 # diagnosticMessage
                         + ber(0x8A, LDAP_STARTTLS_OID))  # responseName [10]
    peer.send(ber(0x30, ber(0x02, b"\x01") + ber(0x78, extended_response)))


POSTGRES_SSL_REQUEST = b"\x00\x00\x00\x08\x04\xd2\x16\x2f"  # length 8, code 80877103


def postgres(peer):
    request = peer.read_exact(8)
    if request != POSTGRES_SSL_REQUEST:
        raise RuntimeError("expected an SSLRequest, got %r" % request)
    peer.send(b"S")


CLIENT_SSL = 0x0800


def mysql(peer):
    # Protocol::HandshakeV10 with CLIENT_SSL among the capabilities
    capabilities = 0x0000F7DF | CLIENT_SSL
    payload = (b"\x0a" + b"8.0.0-pktmask-lab\x00"
               + (7).to_bytes(4, "little")          # connection id
               + b"saltsalt" + b"\x00"              # auth data part 1, filler
               + (capabilities & 0xFFFF).to_bytes(2, "little")
               + b"\x21"                             # utf8 collation
               + (2).to_bytes(2, "little")          # SERVER_STATUS_AUTOCOMMIT
               + (capabilities >> 16).to_bytes(2, "little")
               + b"\x15" + b"\x00" * 10             # auth data length, reserved
               + b"moresaltmore\x00"                # auth data part 2
               + b"mysql_native_password\x00")
    peer.send(len(payload).to_bytes(3, "little") + b"\x00" + payload)
    header = peer.read_exact(4)
    request = peer.read_exact(int.from_bytes(header[:3], "little"))
    if not int.from_bytes(request[:4], "little") & CLIENT_SSL:
        raise RuntimeError("expected an SSL request packet, got %r" % request)


PREAMBLES = {f.__name__: f for f in (smtp, imap, pop3, ftp, xmpp, ldap, postgres, mysql)}


def talk_tls(sock, cert, key, proto):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    tls = context.wrap_socket(sock, server_side=True)
    line = b""
    while not line.endswith(b"\n"):
        chunk = tls.recv(4096)
        if not chunk:
            raise RuntimeError("client closed before its line")
        line += chunk
    tls.sendall(b"server line for %s: the client said %d bytes\n" % (proto.encode(), len(line)))
    while tls.recv(4096):    # until the client's close_notify
        pass
    try:
        tls.unwrap()         # our close_notify
    except (OSError, ssl.SSLError):
        pass                 # the client may already have closed the socket
    tls.close()


def main():
    if len(sys.argv) != 6 or sys.argv[1] not in PREAMBLES:
        sys.stderr.write("usage: starttls_server.py %s ADDR PORT CERT KEY\n" % "|".join(PREAMBLES))
        return 2
    proto, addr, port, cert, key = sys.argv[1:]
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((addr, int(port)))
        listener.listen(1)
        print("listening", flush=True)
        sock, _ = listener.accept()
    sock.settimeout(TIMEOUT_S)
    try:
        PREAMBLES[proto](Peer(sock))
        talk_tls(sock, cert, key, proto)
    except (OSError, RuntimeError, ssl.SSLError) as err:
        sys.stderr.write("starttls_server %s: %s\n" % (proto, err))
        return 1
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
