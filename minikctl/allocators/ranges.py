"""Store-backed range allocators, after kube-apiserver's
pkg/registry/core/service/ipallocator and portallocator.

Contract (as in allocator.go): allocate a given value, allocate the next free one,
release, has. Errors carry the allocators' own messages. Dynamic allocation picks a
random start in the upper band of the range first (the "offset" band of
ipallocator/bitmap.go calculateRangeOffset), so the lower band stays free for
static assignment, and walks the allocation index from there, never the whole range.
"""

from __future__ import annotations

from minikctl.api import rand


class AllocationError(Exception):
    pass


class RangeFull(AllocationError):
    def __str__(self) -> str:
        return "range is full"


class AlreadyAllocated(AllocationError):
    def __init__(self, what: str = "IP"):
        self.what = what

    def __str__(self) -> str:
        return f"provided {self.what} is already allocated"


class PortNotInRange(AllocationError):
    def __init__(self, valid: str):
        self.valid = valid

    def __str__(self) -> str:
        # portallocator.ErrNotInRange
        return f"provided port is not in the valid range. The range of valid ports is {self.valid}"


class IPNotInRange(AllocationError):
    def __init__(self, ip: str, valid: str):
        self.ip, self.valid = ip, valid

    def __str__(self) -> str:
        # ipallocator.ErrNotInRange
        return f"the provided IP ({self.ip}) is not in the valid range. The range of valid IPs is {self.valid}"


def range_offset(size: int, lo: int = 16, hi: int = 256, step: int = 16) -> int:
    """ipallocator.calculateRangeOffset (portallocator uses lo=16, hi=128, step=32)."""
    if size < lo:
        return 0
    off = size // step
    return max(lo, min(hi, off))


class RangeAllocator:
    """Values first..first+size-1 in `pool`, owned by object uids."""

    def __init__(self, store, pool: str, first: int, size: int, offset: int = 0):
        self.store, self.pool, self.first, self.size, self.offset = store, pool, first, size, offset

    @property
    def last(self) -> int:
        return self.first + self.size - 1

    def contains(self, value: int) -> bool:
        return self.first <= value <= self.last

    def allocate(self, value: int, owner: str) -> None:
        if not self.store.allocate(self.pool, value, owner):
            if self.store.allocated(self.pool, value) == owner:
                return
            raise AlreadyAllocated()

    def allocate_next(self, owner: str) -> int:
        if self.size <= 0:
            raise RangeFull()
        lo, hi = self.first, self.last
        band = self.first + min(self.offset, self.size)
        # upper band [band, hi] first, from a random start, wrapping; then the lower band [lo, band)
        windows = []
        if band <= hi:
            start = rand.rng().randint(band, hi)
            windows += [(start, hi), (band, start - 1)]
        if band > lo:
            start = rand.rng().randint(lo, band - 1)
            windows += [(start, band - 1), (lo, start - 1)]
        for a, b in windows:
            if a > b:
                continue
            v = self.store.first_free(self.pool, a, b)
            if v is not None and self.store.allocate(self.pool, v, owner):
                return v
        raise RangeFull()

    def release(self, value: int) -> None:
        self.store.release(self.pool, value)


class CIDR:
    """An IPv4 network with the helpers allocators need.

    The usual "a.b.c.d/n" is read with integer arithmetic; anything else goes through
    ipaddress.IPv4Network(text, strict=False), which gives the same network (or raises its
    ValueError). ipaddress costs about 1.5 ms to import, on the way of every pod start."""

    def __init__(self, text: str):
        addr, slash, plen = text.partition("/") if isinstance(text, str) else ("", "", "")
        v = _quad(addr) if slash else None
        if v is not None and 0 < len(plen) <= 2 and plen.isascii() and plen.isdigit() \
                and (plen[0] != "0" or plen == "0") and int(plen) <= 32:
            n = int(plen)
            self.num = 1 << (32 - n)
            self.base = v & ~(self.num - 1) & 0xFFFFFFFF
            self.text = f"{int_to_ip(self.base)}/{n}"
            return
        import ipaddress

        net = ipaddress.IPv4Network(text, strict=False)
        self.base, self.num, self.text = int(net.network_address), net.num_addresses, str(net)

    @property
    def net(self):
        """The network as an ipaddress.IPv4Network."""
        import ipaddress

        return ipaddress.IPv4Network(self.text)

    def usable(self) -> tuple[int, int]:
        """(first, size) excluding the network and broadcast addresses."""
        if self.num <= 2:
            return self.base, self.num
        return self.base + 1, self.num - 2

    def nth(self, n: int) -> str:
        return int_to_ip(self.base + n)

    def __contains__(self, ip: str) -> bool:
        try:
            v = ip_to_int(ip)
        except ValueError:
            return False
        return self.base <= v < self.base + self.num


def _quad(ip) -> int | None:
    """A dotted quad as ipaddress accepts it (1-3 ASCII digits, no leading zero, at most 255),
    as an integer; None for anything else."""
    parts = ip.split(".") if isinstance(ip, str) else ()
    if len(parts) != 4:
        return None
    v = 0
    for p in parts:
        if not (0 < len(p) <= 3 and p.isascii() and p.isdigit()) or (p[0] == "0" and len(p) > 1):
            return None
        n = int(p)
        if n > 255:
            return None
        v = v << 8 | n
    return v


def ip_to_int(ip: str) -> int:
    """Dotted quad to integer; anything ipaddress would refuse raises its ValueError."""
    v = _quad(ip)
    if v is not None:
        return v
    import ipaddress  # the error (or an int given as such): ipaddress's own

    return int(ipaddress.IPv4Address(ip))


def int_to_ip(v: int) -> str:
    if type(v) is int and 0 <= v <= 0xFFFFFFFF:
        return f"{v >> 24}.{v >> 16 & 255}.{v >> 8 & 255}.{v & 255}"
    import ipaddress

    return str(ipaddress.IPv4Address(v))
