"""resource.Quantity for describe output: ParseQuantity and String() as kubectl prints them."""

from __future__ import annotations

from fractions import Fraction


# ---------------------------------------------------------------------------
# resource.Quantity (k8s.io/apimachinery/pkg/api/resource): parse + String()
# ---------------------------------------------------------------------------

_DEC_SUFFIX = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_DEC_SUFFIX_REV = {v: k for k, v in _DEC_SUFFIX.items()}
_BIN_SUFFIX = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_BIN_SUFFIX_REV = {v: k for k, v in _BIN_SUFFIX.items()}
_NANO = Fraction(1, 1_000_000_000)


class Quantity:
    """A resource.Quantity: exact value plus its format (DecimalSI, BinarySI, DecimalExponent)."""

    __slots__ = ("value", "format")

    def __init__(self, value=0, format: str = "DecimalSI") -> None:
        self.value = Fraction(value)
        self.format = format

    def add(self, other: "Quantity") -> "Quantity":
        """Quantity.Add: the receiver keeps its format."""
        return Quantity(self.value + other.value, self.format or other.format)

    def value_int(self) -> int:
        """Value(): rounded up."""
        v = self.value
        return -((-v.numerator) // v.denominator)

    def milli_value(self) -> int:
        """MilliValue(): rounded up."""
        v = self.value * 1000
        return -((-v.numerator) // v.denominator)

    def __str__(self) -> str:
        return quantity_string(self)


def parse_quantity(s) -> Quantity:
    """resource.ParseQuantity; unparseable input gives zero."""
    if isinstance(s, Quantity):
        return Quantity(s.value, s.format)
    if s is None or isinstance(s, bool):
        return Quantity(0)
    if isinstance(s, int):
        return Quantity(s)
    if isinstance(s, float):
        return Quantity(Fraction(s).limit_denominator(10**9))
    s = str(s).strip()
    i, n = 0, len(s)
    if n and s[0] in "+-":
        i = 1
    while i < n and (s[i].isdigit() or s[i] == "."):
        i += 1
    num, suffix = s[:i], s[i:]
    try:
        value = Fraction(num)
    except (ValueError, ZeroDivisionError):
        return Quantity(0)
    if suffix in _BIN_SUFFIX:
        value *= 2 ** _BIN_SUFFIX[suffix]
        fmt = "BinarySI"
    elif suffix in _DEC_SUFFIX:
        value *= Fraction(10) ** _DEC_SUFFIX[suffix]
        fmt = "DecimalSI"
    elif suffix[:1] in ("e", "E") and len(suffix) > 1:
        try:
            value *= Fraction(10) ** int(suffix[1:])
        except ValueError:
            return Quantity(0)
        fmt = "DecimalExponent"
    else:
        return Quantity(0)
    v = value / _NANO
    if v.denominator != 1:  # below nano precision: round up
        value = Fraction(-((-v.numerator) // v.denominator)) * _NANO
    return Quantity(value, fmt)


def _remove_factors(value: int, base: int) -> tuple[int, int]:
    if value == 0:
        return 0, 0
    neg = value < 0
    value = -value if neg else value
    times = 0
    while value >= base and value % base == 0:
        value //= base
        times += 1
    return (-value if neg else value), times


def quantity_string(q: Quantity) -> str:
    """Quantity.String() (CanonicalizeBytes)."""
    v = q.value
    if v == 0:
        return "0"
    fmt = q.format
    if fmt == "BinarySI" and (-1024 < v < 1024 or v.denominator != 1):
        fmt = "DecimalSI"
    if fmt == "BinarySI":
        amount, times = _remove_factors(int(v), 1024)
        return str(amount) + _BIN_SUFFIX_REV.get(times * 10, "")
    exponent = 0
    while v.denominator != 1:
        v *= 10
        exponent -= 1
    mantissa, times = _remove_factors(int(v), 10)
    exponent += times
    r = exponent % 3
    if r:
        mantissa *= 10**r
        exponent -= r
    if fmt == "DecimalSI" and exponent in _DEC_SUFFIX_REV:
        return str(mantissa) + _DEC_SUFFIX_REV[exponent]
    if exponent == 0:
        return str(mantissa)
    return "%de%d" % (mantissa, exponent)


def _qstr(s) -> str:
    return quantity_string(parse_quantity(s))
