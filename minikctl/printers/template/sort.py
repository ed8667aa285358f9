"""--sort-by (kubectl/pkg/cmd/get/sorter.go) with Go's sort.Sort (pdqsort,
src/sort/zsortinterface.go), so ties and missing values come out in kubectl's order."""

from __future__ import annotations

import re

from minikctl.printers.template.custom_columns import relaxed
from minikctl.printers.template.errors import JSONPathError, TemplateError
from minikctl.printers.template.govalues import go_quote, go_type
from minikctl.printers.template.jsonpath import _Engine, parse

# ---------------------------------------------------------------------------
# sorter.go
# ---------------------------------------------------------------------------


class _Unsortable(Exception):
    pass


_QUANTITY = re.compile(r"([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?\Z")
_SUFFIX = {"n": (10, -9), "u": (10, -6), "m": (10, -3), "k": (10, 3), "M": (10, 6), "G": (10, 9), "T": (10, 12),
           "P": (10, 15), "E": (10, 18), "Ki": (2, 10), "Mi": (2, 20), "Gi": (2, 30), "Ti": (2, 40), "Pi": (2, 50),
           "Ei": (2, 60)}


def _quantity(s: str):
    """resource.ParseQuantity's value, or None when s is not a quantity (api/resource/quantity.go)."""
    m = _QUANTITY.match(s)
    if m is None:
        return None
    from fractions import Fraction

    sign, num, suffix = m.group(1), m.group(2), m.group(3) or ""
    value = Fraction(num)
    if suffix[:1] in ("e", "E"):
        value *= Fraction(10) ** int(suffix[1:])
    elif suffix:
        base, exp = _SUFFIX[suffix]
        value *= Fraction(base) ** exp
    return -value if sign == "-" else value


def _is_less(i, j) -> bool:
    """isLess for values inside interface{} (unstructured content)."""
    if i is None and j is None:
        return False
    if i is None:
        return True
    if j is None:
        return False
    ti, tj = go_type(i), go_type(j)
    if ti in ("int64", "float64", "string"):
        if ti != tj:
            raise _Unsortable("unsortable interface: interface")
        if ti == "string":
            qi = _quantity(i)
            qj = _quantity(j) if qi is not None else None
            if qi is None or qj is None:
                # kubectl 1.32 compares plain strings bytewise ("a10" < "a9", "10.96.0.10" < "10.96.0.9")
                return i < j
            return qi < qj
        return i < j
    raise _Unsortable(f"unsortable type: {ti}")


def go_sort(n: int, less, swap) -> None:
    """Go's sort.Sort (pdqsort, src/sort/zsortinterface.go): not stable, and the order
    it leaves equal or inconsistent elements in is what kubectl prints."""
    if n <= 1:
        return
    _pdqsort(less, swap, 0, n, n.bit_length())


def _insertion_sort(less, swap, a, b):
    for i in range(a + 1, b):
        j = i
        while j > a and less(j, j - 1):
            swap(j, j - 1)
            j -= 1


def _sift_down(less, swap, lo, hi, first):
    root = lo
    while True:
        child = 2 * root + 1
        if child >= hi:
            return
        if child + 1 < hi and less(first + child, first + child + 1):
            child += 1
        if not less(first + root, first + child):
            return
        swap(first + root, first + child)
        root = child


def _heap_sort(less, swap, a, b):
    first, lo, hi = a, 0, b - a
    for i in range((hi - 1) // 2, -1, -1):
        _sift_down(less, swap, i, hi, first)
    for i in range(hi - 1, -1, -1):
        swap(first, first + i)
        _sift_down(less, swap, lo, i, first)


_UNKNOWN, _INCREASING, _DECREASING = 0, 1, 2
_MASK64 = (1 << 64) - 1


def _pdqsort(less, swap, a, b, limit):
    was_balanced = True
    was_partitioned = True
    while True:
        length = b - a
        if length <= 12:
            _insertion_sort(less, swap, a, b)
            return
        if limit == 0:
            _heap_sort(less, swap, a, b)
            return
        if not was_balanced:
            _break_patterns(swap, a, b)
            limit -= 1
        pivot, hint = _choose_pivot(less, a, b)
        if hint == _DECREASING:
            _reverse_range(swap, a, b)
            pivot = (b - 1) - (pivot - a)
            hint = _INCREASING
        if was_balanced and was_partitioned and hint == _INCREASING:
            if _partial_insertion_sort(less, swap, a, b):
                return
        if a > 0 and not less(a - 1, pivot):
            a = _partition_equal(less, swap, a, b, pivot)
            continue
        mid, already = _partition(less, swap, a, b, pivot)
        was_partitioned = already
        left_len, right_len = mid - a, b - mid
        balance = length // 8
        if left_len < right_len:
            was_balanced = left_len >= balance
            _pdqsort(less, swap, a, mid, limit)
            a = mid + 1
        else:
            was_balanced = right_len >= balance
            _pdqsort(less, swap, mid + 1, b, limit)
            b = mid


def _partition(less, swap, a, b, pivot):
    swap(a, pivot)
    i, j = a + 1, b - 1
    while i <= j and less(i, a):
        i += 1
    while i <= j and not less(j, a):
        j -= 1
    if i > j:
        swap(j, a)
        return j, True
    swap(i, j)
    i += 1
    j -= 1
    while True:
        while i <= j and less(i, a):
            i += 1
        while i <= j and not less(j, a):
            j -= 1
        if i > j:
            break
        swap(i, j)
        i += 1
        j -= 1
    swap(j, a)
    return j, False


def _partition_equal(less, swap, a, b, pivot):
    swap(a, pivot)
    i, j = a + 1, b - 1
    while True:
        while i <= j and not less(a, i):
            i += 1
        while i <= j and less(a, j):
            j -= 1
        if i > j:
            break
        swap(i, j)
        i += 1
        j -= 1
    return i


def _partial_insertion_sort(less, swap, a, b):
    max_steps, shortest_shifting = 5, 50
    i = a + 1
    for _ in range(max_steps):
        while i < b and not less(i, i - 1):
            i += 1
        if i == b:
            return True
        if b - a < shortest_shifting:
            return False
        swap(i, i - 1)
        if i - a >= 2:
            j = i - 1
            while j >= 1:
                if not less(j, j - 1):
                    break
                swap(j, j - 1)
                j -= 1
        if b - i >= 2:
            j = i + 1
            while j < b:
                if not less(j, j - 1):
                    break
                swap(j, j - 1)
                j += 1
    return False


def _break_patterns(swap, a, b):
    length = b - a
    if length >= 8:
        r = length
        modulus = 1 << length.bit_length()
        for idx in range(a + (length // 4) * 2 - 1, a + (length // 4) * 2 + 2):
            # xorshift.Next in src/sort/sort.go: shifts 13, 17, 5 (checked against kubectl 1.32's
            # order of equal elements, tests/cli/test_events.py)
            r ^= (r << 13) & _MASK64
            r ^= r >> 17
            r ^= (r << 5) & _MASK64
            other = r & (modulus - 1)
            if other >= length:
                other -= length
            swap(idx, a + other)


def _choose_pivot(less, a, b):
    l = b - a
    swaps = [0]
    i, j, k = a + l // 4 * 1, a + l // 4 * 2, a + l // 4 * 3
    if l >= 8:
        if l >= 50:
            i = _median(less, i - 1, i, i + 1, swaps)
            j = _median(less, j - 1, j, j + 1, swaps)
            k = _median(less, k - 1, k, k + 1, swaps)
        j = _median(less, i, j, k, swaps)
    if swaps[0] == 0:
        return j, _INCREASING
    if swaps[0] == 12:
        return j, _DECREASING
    return j, _UNKNOWN


def _order2(less, a, b, swaps):
    if less(b, a):
        swaps[0] += 1
        return b, a
    return a, b


def _median(less, a, b, c, swaps):
    a, b = _order2(less, a, b, swaps)
    b, c = _order2(less, b, c, swaps)
    a, b = _order2(less, a, b, swaps)
    return b


def _reverse_range(swap, a, b):
    i, j = a, b - 1
    while i < j:
        swap(i, j)
        i += 1
        j -= 1


def _fatal(line: int, msg: str) -> TemplateError:
    """klog.Exitf as kubectl's sorter calls it: an F-line on stderr, exit 1."""
    import datetime
    import os

    now = datetime.datetime.now()
    return TemplateError(f"{now:%m%d %H:%M:%S.%f} {os.getpid():7d} sorter.go:{line}] {msg}", prefix="F")


def sort_by(objs: list[dict], expr: str, *, table: bool = True, named: bool = False) -> list[dict]:
    """--sort-by (kubectl/pkg/cmd/get/sorter.go and get.go's RuntimeSorter), as kubectl 1.32 behaves.

    table=True: the rows of one kind's table. One row is left alone; when no row has the
    field the table is not printed at all (kubectl drops the printer's error), so [] comes
    back. Objects asked for by name (named=True) come back from the server as one table
    each, whose rows kubectl cannot read: two or more of them is always an error.
    table=False: objects printed by -o json/yaml/name/jsonpath/custom-columns (SortObjects):
    zero or one object is left alone; a bad path or a field no object has is an error."""
    if len(objs) <= 1:
        return objs
    if table:
        try:
            field = relaxed(expr)
        except TemplateError:
            field = expr
        if named:
            raise TemplateError(f"couldn't find any field with path {go_quote(field)} in the list of objects")
        try:
            nodes = parse(field)
        except JSONPathError:
            return []
        where, line = "[][][]reflect.Value", 375
    else:
        field = relaxed(expr)
        try:
            nodes = parse(field)
        except JSONPathError as e:
            raise TemplateError(str(e)) from None
        where, line = "*unstructured.Unstructured", 329
    keys = []
    found_once = False
    for ob in objs:
        try:
            res = _Engine(nodes, True).find_results(ob)
        except JSONPathError as e:
            if table:
                return []
            raise TemplateError(str(e)) from None
        v = res[0] if res and res[0] else None
        if v is not None:
            found_once = True
        keys.append(v)
    if not found_once:
        if table:
            return []
        raise TemplateError(f"couldn't find any field with path {go_quote(field)} in the list of objects")
    items = list(objs)

    def less(i: int, j: int) -> bool:
        ki, kj = keys[i], keys[j]
        if ki is None:
            return True
        if kj is None:
            return False
        try:
            return _is_less(ki[0], kj[0])
        except _Unsortable as e:
            raise _fatal(line, f"Field {field} in {where} is an unsortable type: interface, err: {e}") from None

    def swap(i: int, j: int) -> None:
        items[i], items[j] = items[j], items[i]
        keys[i], keys[j] = keys[j], keys[i]

    go_sort(len(items), less, swap)
    return items
