"""The server side of SPDY/3.1 framing, as much as Kubernetes' port-forward needs: kubectl 1.32
tunnels a SPDY/3.1 connection through a WebSocket (`SPDY/3.1+portforward.k8s.io`,
client-go/tools/portforward/tunneling_connection.go) and opens two streams per local connection
(an error stream and a data stream, portforward.k8s.io). Sans-I/O: `feed` bytes in, frames out;
`syn_reply`, `data`, `rst` and `ping` make the bytes to send.

Frames (SPDY protocol draft 3 and 3.1, as moby/spdystream's spdy package reads and writes
them): control frames SYN_STREAM, SYN_REPLY, RST_STREAM, SETTINGS, PING, GOAWAY, HEADERS,
WINDOW_UPDATE; data frames with the FIN flag. Header blocks are zlib-compressed with SPDY's
dictionary, one compression context per direction for the whole connection (each block ends
with a sync flush).
"""

from __future__ import annotations

import struct
import zlib

VERSION = 3
SYN_STREAM, SYN_REPLY, RST_STREAM, SETTINGS, PING, GOAWAY, HEADERS, WINDOW_UPDATE = 1, 2, 3, 4, 6, 7, 8, 9
FLAG_FIN = 0x01
# RST_STREAM status codes
PROTOCOL_ERROR, INVALID_STREAM, REFUSED_STREAM, CANCEL, INTERNAL_ERROR = 1, 2, 3, 5, 6

HEADER_DICTIONARY = (
    b"\x00\x00\x00\x07options\x00\x00\x00\x04head\x00\x00\x00\x04post\x00\x00\x00\x03put\x00\x00\x00\x06de"
    b"lete\x00\x00\x00\x05trace\x00\x00\x00\x06accept\x00\x00\x00\x0eaccept-charset\x00\x00\x00\x0faccept-"
    b"encoding\x00\x00\x00\x0faccept-language\x00\x00\x00\raccept-ranges\x00\x00\x00\x03age\x00\x00\x00"
    b"\x05allow\x00\x00\x00\rauthorization\x00\x00\x00\rcache-control\x00\x00\x00\nconnection\x00\x00\x00"
    b"\x0ccontent-base\x00\x00\x00\x10content-encoding\x00\x00\x00\x10content-language\x00\x00\x00\x0econt"
    b"ent-length\x00\x00\x00\x10content-location\x00\x00\x00\x0bcontent-md5\x00\x00\x00\rcontent-range\x00"
    b"\x00\x00\x0ccontent-type\x00\x00\x00\x04date\x00\x00\x00\x04etag\x00\x00\x00\x06expect\x00\x00\x00"
    b"\x07expires\x00\x00\x00\x04from\x00\x00\x00\x04host\x00\x00\x00\x08if-match\x00\x00\x00\x11if-modifi"
    b"ed-since\x00\x00\x00\rif-none-match\x00\x00\x00\x08if-range\x00\x00\x00\x13if-unmodified-since\x00"
    b"\x00\x00\rlast-modified\x00\x00\x00\x08location\x00\x00\x00\x0cmax-forwards\x00\x00\x00\x06pragma"
    b"\x00\x00\x00\x12proxy-authenticate\x00\x00\x00\x13proxy-authorization\x00\x00\x00\x05range\x00\x00"
    b"\x00\x07referer\x00\x00\x00\x0bretry-after\x00\x00\x00\x06server\x00\x00\x00\x02te\x00\x00\x00\x07tr"
    b"ailer\x00\x00\x00\x11transfer-encoding\x00\x00\x00\x07upgrade\x00\x00\x00\nuser-agent\x00\x00\x00"
    b"\x04vary\x00\x00\x00\x03via\x00\x00\x00\x07warning\x00\x00\x00\x10www-authenticate\x00\x00\x00\x06me"
    b"thod\x00\x00\x00\x03get\x00\x00\x00\x06status\x00\x00\x00\x06200 OK\x00\x00\x00\x07version\x00\x00"
    b"\x00\x08HTTP/1.1\x00\x00\x00\x03url\x00\x00\x00\x06public\x00\x00\x00\nset-cookie\x00\x00\x00\nkeep-"
    b"alive\x00\x00\x00\x06origin1001012012022052063003023033043053063074024054064074084094104114124134144"
    b"15416417502504505203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request"
    b"401 Unauthorized403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Un"
    b"availableJan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun"
    b", GMTchunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plai"
    b"n,text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0"
    b".")


class ProtocolError(Exception):
    pass


class Frame:
    """One frame read: `kind` is a control frame type, or "data"."""
    __slots__ = ("kind", "stream", "flags", "data", "headers", "value")

    def __init__(self, kind, stream=0, flags=0, data=b"", headers=None, value=0):
        self.kind, self.stream, self.flags, self.data = kind, stream, flags, data
        self.headers = headers or {}
        self.value = value

    @property
    def fin(self) -> bool:
        return bool(self.flags & FLAG_FIN)

    def __repr__(self) -> str:
        return f"Frame({self.kind}, stream={self.stream}, flags={self.flags}, data={self.data[:40]!r}, " \
               f"headers={self.headers})"


class Connection:
    """One SPDY connection, server side."""

    def __init__(self):
        self._buf = bytearray()
        self._inflate = zlib.decompressobj(zdict=HEADER_DICTIONARY)
        self._deflate = zlib.compressobj(9, zlib.DEFLATED, 15, 8, zlib.Z_DEFAULT_STRATEGY, HEADER_DICTIONARY)

    # -------------------------------------------------------------------- reading
    def feed(self, data: bytes) -> list[Frame]:
        """The frames completed by `data` (a frame may arrive in pieces)."""
        self._buf += data
        frames = []
        while len(self._buf) >= 8:
            length = int.from_bytes(self._buf[5:8], "big")
            if len(self._buf) < 8 + length:
                break
            head = bytes(self._buf[:8])
            payload = bytes(self._buf[8:8 + length])
            del self._buf[:8 + length]
            flags = head[4]
            if head[0] & 0x80:
                version = struct.unpack(">H", head[:2])[0] & 0x7FFF
                kind = struct.unpack(">H", head[2:4])[0]
                if version != VERSION:
                    raise ProtocolError(f"unsupported SPDY version {version}")
                frames.append(self._control(kind, flags, payload))
            else:
                stream = struct.unpack(">I", head[:4])[0] & 0x7FFFFFFF
                frames.append(Frame("data", stream, flags, payload))
        return frames

    def _control(self, kind: int, flags: int, p: bytes) -> Frame:
        if kind == SYN_STREAM:
            if len(p) < 10:
                raise ProtocolError("short SYN_STREAM")
            stream = struct.unpack(">I", p[:4])[0] & 0x7FFFFFFF
            return Frame(kind, stream, flags, headers=self._headers(p[10:]))
        if kind in (SYN_REPLY, HEADERS):
            stream = struct.unpack(">I", p[:4])[0] & 0x7FFFFFFF
            return Frame(kind, stream, flags, headers=self._headers(p[4:]))
        if kind in (RST_STREAM, WINDOW_UPDATE, GOAWAY):
            a, b = struct.unpack(">II", p[:8])
            return Frame(kind, a & 0x7FFFFFFF, flags, value=b)
        if kind == PING:
            return Frame(kind, flags=flags, value=struct.unpack(">I", p[:4])[0])
        return Frame(kind, flags=flags, data=p)  # SETTINGS and what this server does not use

    def _headers(self, block: bytes) -> dict[str, str]:
        raw = self._inflate.decompress(block)  # the connection's one zlib context
        n = struct.unpack(">I", raw[:4])[0]
        pos, out = 4, {}
        for _ in range(n):
            ln = struct.unpack(">I", raw[pos:pos + 4])[0]
            name = raw[pos + 4:pos + 4 + ln].decode("latin-1").lower()
            pos += 4 + ln
            lv = struct.unpack(">I", raw[pos:pos + 4])[0]
            out[name] = raw[pos + 4:pos + 4 + lv].decode("latin-1")
            pos += 4 + lv
        return out

    # -------------------------------------------------------------------- writing
    @staticmethod
    def _control_frame(kind: int, flags: int, payload: bytes) -> bytes:
        return struct.pack(">HHI", 0x8000 | VERSION, kind, (flags << 24) | len(payload)) + payload

    def _header_block(self, headers: dict[str, str]) -> bytes:
        raw = struct.pack(">I", len(headers))
        for k, v in headers.items():
            kb, vb = k.lower().encode("latin-1"), v.encode("latin-1")
            raw += struct.pack(">I", len(kb)) + kb + struct.pack(">I", len(vb)) + vb
        return self._deflate.compress(raw) + self._deflate.flush(zlib.Z_SYNC_FLUSH)

    def syn_reply(self, stream: int, headers: dict[str, str] | None = None, fin: bool = False) -> bytes:
        return self._control_frame(SYN_REPLY, FLAG_FIN if fin else 0,
                                   struct.pack(">I", stream) + self._header_block(headers or {}))

    @staticmethod
    def data(stream: int, data: bytes, fin: bool = False) -> bytes:
        """DATA frames (at most 16 MiB - 1 each); an empty one with FIN half-closes the stream."""
        out, step = [], (1 << 24) - 1
        chunks = [data[i:i + step] for i in range(0, len(data), step)] or [b""]
        for i, chunk in enumerate(chunks):
            flags = FLAG_FIN if fin and i == len(chunks) - 1 else 0
            out.append(struct.pack(">II", stream & 0x7FFFFFFF, (flags << 24) | len(chunk)) + chunk)
        return b"".join(out)

    def rst(self, stream: int, status: int = CANCEL) -> bytes:
        return self._control_frame(RST_STREAM, 0, struct.pack(">II", stream, status))

    def ping(self, ping_id: int) -> bytes:
        return self._control_frame(PING, 0, struct.pack(">I", ping_id))

    def goaway(self, last_stream: int, status: int = 0) -> bytes:
        return self._control_frame(GOAWAY, 0, struct.pack(">II", last_stream, status))
