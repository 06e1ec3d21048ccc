#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# hostile-server.py: the proxy lab's misbehaving servers, each on its own
# loopback port (tests/proxy-lab-third-party.sh starts it and exports the
# ports). Prints one line, `name=port name=port ...`, once all listen.
#
# HTTP "proxies" that answer any request, GET or CONNECT, the same way:
#   garbage        a status line that is not HTTP
#   random         random bytes, then close
#   midheader      a 407 cut off in the middle of a header
#   bigheaders     a 407 whose header block is far past libsoup's limit
#   challenges10k  a 407 with 10,000 Proxy-Authenticate headers
#   challenges100  a 407 with 100 short Proxy-Authenticate headers (within the limit)
#   c1realm        a 407 whose realm holds C1 controls (U+009B) and ESC sequences
#   escreason      a 502 whose reason phrase sets the title, clears the screen
#                  and holds bare CRs and fake lines
#   loop           a 302 to itself
#   blockpage      407 Basic until the lab's credentials come, then a 302 to a
#                  block page whose Location carries user:password
# Origins (used as the echo URL):
#   redirector     plain HTTP: every request gets 302 to https://127.0.0.1:RECORDER/
#   redirectors    the same over TLS (lab certificate), on --redirectors-port
#   recorder       HTTPS (lab certificate): logs each request line and its headers
#                  to --recorder-log, answers 200 "198.51.100.66"
#   badip, badips  plain and TLS: "fe80::1%" then ESC sequences and invalid UTF-8
#   zoneip, zoneips  plain and TLS: "fe80::1%eth0"
import argparse
import asyncio
import base64
import random
import ssl
import sys
import urllib.parse

parser = argparse.ArgumentParser()
parser.add_argument("--cert", required=True)
parser.add_argument("--key", required=True)
parser.add_argument("--recorder-port", type=int, default=0)
parser.add_argument("--redirectors-port", type=int, default=0)
parser.add_argument("--recorder-log", required=True)
parser.add_argument("--user", required=True)
parser.add_argument("--password", required=True)
args = parser.parse_args()

ports = {}


async def read_head(reader):
    """One request head (bytes up to the blank line), its body skipped; None at EOF."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        return None
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            try:
                await reader.readexactly(int(value.strip() or 0))
            except (ValueError, asyncio.IncompleteReadError, ConnectionError):
                return None
    return head


def response(status_line, headers=(), body=b"", close=True):
    out = [status_line]
    out += headers
    out.append(b"Content-Length: %d" % len(body))
    if close:
        out.append(b"Connection: close")
    return b"\r\n".join(out) + b"\r\n\r\n" + body


def serve(answer):
    """A handler that answers every request head with answer(head, port) ->
    (bytes, close?) until it closes."""
    async def handler(reader, writer):
        try:
            while True:
                head = await read_head(reader)
                if head is None:
                    break
                data, close = answer(head, writer.get_extra_info("sockname")[1])
                writer.write(data)
                await writer.drain()
                if close:
                    break
        except ConnectionError:
            pass
        finally:
            writer.close()
    return handler


def fixed(data, close=True):
    return lambda head, port: (data, close)


PROXY_407 = b"HTTP/1.1 407 Proxy Authentication Required"
TEXT = b"Content-Type: text/plain"

garbage = fixed(b"HTTP/1.1 2OO Okay-ish\r\nServer: \x01\x02garbage\r\n\r\n")
random_bytes = fixed(bytes(random.Random(7).getrandbits(8) for _ in range(4096)).replace(b"\r\n\r\n", b"xxxx"))
midheader = fixed(PROXY_407 + b"\r\nServer: hostile\r\nProxy-Authenticate: Basic realm=\"Gatepass Ha")
bigheaders = fixed(response(PROXY_407, [b"Proxy-Authenticate: Basic realm=\"Gatepass Big\""] +
                            [b"X-Filler-%d: %s" % (i, b"a" * 1000) for i in range(400)]))
challenges10k = fixed(response(PROXY_407, [b"Proxy-Authenticate: Basic realm=\"Gatepass %d\"" % i
                                           for i in range(10000)]))
challenges100 = fixed(response(PROXY_407, [b"Proxy-Authenticate: Basic realm=\"r%d\"" % i
                                           for i in range(100)]))
c1realm = fixed(response(PROXY_407, [
    b"Proxy-Authenticate: Basic realm=\"Gatepass C1 \xc2\x9b31m\xc2\x9d0;c1 title\xc2\x9c"
    b"\x1b[2J\x1b]0;esc title\x07 realm end\""], b"", close=False))
escreason = fixed(response(b"HTTP/1.1 502 Bad \x1b]0;pwned title\x07\x1b[2J\x1b[1;1H"
                           b"fake\rok 200 line: everything fine\x1b[8m hidden",
                           [TEXT], b"no\n"))


def loop(head, port):
    return response(b"HTTP/1.1 302 Found",
                    [b"Location: http://127.0.0.1:%d/loop" % port]), True


def credentials_ok(head):
    expected = base64.b64encode(("%s:%s" % (args.user, args.password)).encode()).decode()
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "proxy-authorization":
            scheme, _, token = value.strip().partition(" ")
            return scheme.lower() == "basic" and token.strip() == expected
    return False


def blockpage(head, port):
    if not credentials_ok(head):
        return response(PROXY_407, [b"Proxy-Authenticate: Basic realm=\"Gatepass Block\""],
                        close=False), False
    userinfo = "%s:%s" % (urllib.parse.quote(args.user, safe=""), urllib.parse.quote(args.password, safe=""))
    return response(b"HTTP/1.1 302 Found",
                    [b"Location: http://" + userinfo.encode() + b"@block.example/blocked?reason=policy", TEXT],
                    b"blocked\n"), True


def redirector(head, port):
    return response(b"HTTP/1.1 302 Found",
                    [b"Location: https://127.0.0.1:%d/" % ports["recorder"]]), True


def recorder(head, port):
    with open(args.recorder_log, "ab") as log:
        log.write(head)
    return response(b"HTTP/1.1 200 OK", [TEXT], b"198.51.100.66\n"), True


badip = fixed(response(b"HTTP/1.1 200 OK", [TEXT], b"fe80::1%\x1b]0;pwned\x07\x1b[2J\xff\xfe\xc2\x9b\n"))
zoneip = fixed(response(b"HTTP/1.1 200 OK", [TEXT], b"fe80::1%eth0\n"))

PLAIN = {
    "garbage": garbage, "random": random_bytes, "midheader": midheader,
    "bigheaders": bigheaders, "challenges10k": challenges10k, "challenges100": challenges100,
    "c1realm": c1realm, "escreason": escreason, "loop": loop, "blockpage": blockpage,
    "redirector": redirector, "badip": badip, "zoneip": zoneip,
}
TLS = {"recorder": recorder, "redirectors": redirector, "badips": badip, "zoneips": zoneip}
FIXED_PORTS = {"recorder": args.recorder_port, "redirectors": args.redirectors_port}


async def main():
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(args.cert, args.key)
    servers = []
    for name, answer in PLAIN.items():
        servers.append((name, await asyncio.start_server(serve(answer), "127.0.0.1", 0)))
    for name, answer in TLS.items():
        port = FIXED_PORTS.get(name, 0)
        servers.append((name, await asyncio.start_server(serve(answer), "127.0.0.1", port, ssl=tls)))
    for name, server in servers:
        ports[name] = server.sockets[0].getsockname()[1]
    print(" ".join("%s=%d" % item for item in ports.items()), flush=True)
    await asyncio.Event().wait()


asyncio.run(main())
