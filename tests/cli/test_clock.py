"""`minikctl clock` and `clock advance`: Go durations, a bounded cluster time, damaged clocks.

Durations are parsed exactly as Go's time.ParseDuration does (golang/go src/time/format.go),
with its messages (checked against kubectl 1.32, which parses --since, --timeout and
--request-timeout with it). The cluster time stays within what an RFC 3339 timestamp can
hold (Go's Time.MarshalJSON: year outside of range [0,9999]); a refused advance changes
nothing; a clock stored out of range by older versions (`manual:1e23`, `manual:inf`) no
longer makes every command fail.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from tests.helpers import store_snapshot

START = 1_700_000_000  # 2023-11-14T22:13:20Z


def _plant(state: str, value: str) -> None:
    """Write the clock's meta row directly (what an older minikctl, or a damaged store, left)."""
    with sqlite3.connect(state) as db:
        db.execute("UPDATE meta SET value=? WHERE key='clock'", (value,))
    db.close()


def _meta(state: str) -> str:
    db = sqlite3.connect(state)
    try:
        return db.execute("SELECT value FROM meta WHERE key='clock'").fetchone()[0]
    finally:
        db.close()


def _at(seconds: float) -> str:
    t = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=int(seconds))
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def frozen(cluster, state):
    """A manual-clock cluster whose clock reads START exactly."""
    _plant(state, f"manual:{START}.0")
    assert cluster("clock").out == f"{_at(START)} (manual)\n"
    return cluster


# ------------------------------------------------------------------ valid forms
@pytest.mark.parametrize("text, seconds", [
    ("1h30m", 5400), ("1.5h", 5400), ("300ms", 0.3), ("1h0m0.5s", 3600.5), ("+5s", 5), ("0", 0), ("-0", 0),
    ("+0", 0), (".5s", 0.5), ("5.s", 5), ("12µs", 12e-6), ("12μs", 12e-6), ("1h2m3s4ms5us6ns", 3723.004005006),
    ("10.5s4m", 250.5), ("2562047h", 2562047 * 3600),
])
def test_valid_durations_move_the_clock(frozen, state, text, seconds):
    r = frozen(["clock", "advance", "--", text])
    assert r.code == 0 and r.err == "", r
    assert r.out == f"clock advanced by {text}: now {_at(START + seconds)}\n"
    assert frozen("clock").out == f"{_at(START + seconds)} (manual)\n"


def test_fractions_add_up_exactly(frozen, state):
    """Integer nanoseconds, not floats: ten 100ms steps are exactly one second."""
    for _ in range(10):
        assert frozen("clock advance 100ms").code == 0
    assert frozen("clock").out == f"{_at(START + 1)} (manual)\n"
    assert _meta(state) == f"manual:{START + 1}.0"
    assert frozen("clock advance 1ns").code == 0
    assert _meta(state) == f"manual:{START + 1}.000000001"


def test_args_after_double_dash_count(frozen):
    r = frozen("clock advance -- 1m")
    assert r.code == 0 and r.out == f"clock advanced by 1m: now {_at(START + 60)}\n", r


# ------------------------------------------------------------- Go's messages
@pytest.mark.parametrize("text, message", [
    ("1", 'time: missing unit in duration "1"'),
    ("1.5", 'time: missing unit in duration "1.5"'),
    ("1m1", 'time: missing unit in duration "1m1"'),
    ("1..5s", 'time: missing unit in duration "1..5s"'),
    ("00", 'time: missing unit in duration "00"'),
    ("1x", 'time: unknown unit "x" in duration "1x"'),
    ("1d", 'time: unknown unit "d" in duration "1d"'),  # Go has no day unit, neither has kubectl
    ("1e3s", 'time: unknown unit "e" in duration "1e3s"'),
    ("1 s", 'time: unknown unit " s" in duration "1 s"'),
    ("1s ", 'time: unknown unit "s " in duration "1s "'),
    ("1h-5m", 'time: unknown unit "h-" in duration "1h-5m"'),
    ('1"s', 'time: unknown unit "\\"s" in duration "1\\"s"'),
    ("1\\s", 'time: unknown unit "\\\\s" in duration "1\\\\s"'),
    ("1µ", 'time: unknown unit "\\xc2\\xb5" in duration "1\\xc2\\xb5"'),
    ("1\x1b[2J", 'time: unknown unit "\\x1b[" in duration "1\\x1b[2J"'),
    ("", 'time: invalid duration ""'),
    (".", 'time: invalid duration "."'),
    ("-.s", 'time: invalid duration "-.s"'),
    ("+", 'time: invalid duration "+"'),
    (" 1s", 'time: invalid duration " 1s"'),
    ("\ufffd1s", 'time: invalid duration "\\xef\\xbf\\xbd1s"'),
    ("\udcff", 'time: invalid duration "\\xff"'),  # a non-UTF-8 argv byte (surrogateescape)
    # int64 nanoseconds overflow
    ("9223372036854775808ns", 'time: invalid duration "9223372036854775808ns"'),
    ("2562048h", 'time: invalid duration "2562048h"'),
    ("9223372036.854775808s", 'time: invalid duration "9223372036.854775808s"'),
    ("-9223372036854775809ns", 'time: invalid duration "-9223372036854775809ns"'),
    ("9223372036854ms775us808ns", 'time: invalid duration "9223372036854ms775us808ns"'),
    # the values of the issue: refused before they reach the clock
    ("70000000h", 'time: invalid duration "70000000h"'),
    ("99999999999999999999999s", 'time: invalid duration "99999999999999999999999s"'),
])
def test_go_parse_errors(frozen, state, text, message):
    before = store_snapshot(state)
    r = frozen(["clock", "advance", "--", text])
    assert (r.code, r.out, r.err) == (1, "", f"error: {message}\n"), r
    assert store_snapshot(state) == before


def test_negative_durations_are_refused(frozen, state):
    before = store_snapshot(state)
    for text in ("-5s", "-1ns", "-2562047h47m16.854775808s"):
        r = frozen(["clock", "advance", "--", text])
        assert (r.code, r.out) == (1, ""), r
        assert r.err == f"error: the cluster clock only moves forward: cannot advance it by {text}\n"
    assert store_snapshot(state) == before
    # what Go reads as zero is no move back ("-0", "-0.5ns": fractions below a nanosecond are dropped)
    for text in ("-0", "-0.5ns"):
        r = frozen(["clock", "advance", "--", text])
        assert r.code == 0 and r.out == f"clock advanced by {text}: now {_at(START)}\n", r
    # without "--", -5s is a flag, as kubectl (cobra) reads it
    before = store_snapshot(state)
    r = frozen("clock advance -5s")
    assert r.code == 1 and r.err == ("error: unknown shorthand flag: '5' in -5s\n"
                                     "See 'minikctl clock advance --help' for usage.\n"), r
    assert store_snapshot(state) == before


def test_usage(frozen):
    r = frozen("clock advance")
    assert (r.code, r.err) == (1, "error: usage: minikctl clock advance DURATION (e.g. 30s, 5m, 1h30m)\n")
    r = frozen("clock advance 1s 2s")
    assert r.code == 1 and r.err.startswith("error: usage:"), r


# ------------------------------------------------------------- the year 9999
def test_advance_past_year_9999_is_refused_and_changes_nothing(frozen, state):
    _plant(state, "manual:253402300000.0")  # 9999-12-31T23:46:40Z
    before_clock = frozen("clock").out
    before = store_snapshot(state)
    r = frozen("clock advance 1h")
    assert (r.code, r.out) == (1, ""), r
    assert r.err == ("error: cannot advance the cluster clock by 1h: it would pass 9999-12-31T23:59:59Z "
                     "(Time.MarshalJSON: year outside of range [0,9999]); it can advance by at most 13m19s\n")
    assert store_snapshot(state) == before
    assert frozen("clock").out == before_clock == "9999-12-31T23:46:40Z (manual)\n"

    r = frozen("clock advance 13m19s")
    assert r.code == 0 and r.out == "clock advanced by 13m19s: now 9999-12-31T23:59:59Z\n", r
    before = store_snapshot(state)
    r = frozen("clock advance 1ns")
    assert r.code == 1 and r.err.endswith("it can advance by at most 0s\n"), r
    assert store_snapshot(state) == before
    assert frozen("clock advance 0").code == 0


def test_clock_reaches_its_limit_through_the_cli_and_the_cluster_keeps_working(cluster, state):
    """The issue's case: advancing by the largest durations Go allows, again and again, stops at
    year 9999 with a clear refusal; get, describe, create and delete keep working."""
    assert cluster("create deployment web --image=nginx --replicas=1").code == 0
    refused = None
    for _ in range(40):
        r = cluster("clock advance 2562047h")
        if r.code != 0:
            refused = r
            break
    assert refused is not None and refused.code == 1, refused
    assert refused.err.startswith("error: cannot advance the cluster clock by 2562047h: it would pass "
                                  "9999-12-31T23:59:59Z (Time.MarshalJSON: year outside of range [0,9999])"), refused
    assert re.fullmatch(r"99\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ \(manual\)\n", cluster("clock").out)
    for cmd in ("get pods", "get deploy web -o yaml", "describe deploy web", "get events", "cluster info"):
        r = cluster(cmd)
        assert r.code == 0 and "error" not in r.err, (cmd, r)
    pod = cluster("get pods -o name").out.split()[0]
    assert cluster(f"describe {pod}").code == 0
    assert cluster("create configmap late --from-literal=a=b").code == 0
    age = cluster("get configmap late --no-headers").out.split()[-1]
    assert age == "0s"
    assert cluster("delete configmap late").code == 0
    assert cluster("delete deployment web").code == 0


def test_describe_and_ages_at_the_last_second(frozen, state):
    assert frozen("create deployment web --image=nginx").code == 0
    _plant(state, "manual:253402300798.0")
    assert frozen("clock advance 1s").out == "clock advanced by 1s: now 9999-12-31T23:59:59Z\n"
    r = frozen("get deploy web --no-headers")
    assert r.code == 0 and r.out.split()[-1] == "7981y", r
    assert frozen("create configmap c").code == 0
    r = frozen("get configmap c -o jsonpath={.metadata.creationTimestamp}")
    assert r.out == "9999-12-31T23:59:59Z", r
    r = frozen("describe configmap c")
    assert r.code == 0, r


def test_describe_east_of_utc_at_the_last_second(frozen, state, mk_proc):
    """9999-12-31T23:59:59Z is already year 10000 in Tokyo: describe prints it as Go does."""
    _plant(state, "manual:253402300799.0")
    assert frozen("create deployment web --image=nginx").code == 0
    r = mk_proc("describe deployment web", env={"TZ": "Asia/Tokyo"})
    assert r.code == 0 and r.err == "", r
    assert "\nCreationTimestamp:      Sat, 01 Jan 10000 08:59:59 +0900\n" in r.out, r


def test_certificates_issued_near_the_limit_expire_at_it(frozen, state):
    """A serving certificate made when the clock is within a year of its limit is valid until
    99991231235959Z (RFC 5280's "no well-defined expiration date"), not an OverflowError."""
    assert frozen("run c --image=curlimages/curl --command -- sleep 3600").code == 0
    _plant(state, "manual:253402300000.0")
    r = frozen("exec c -- curl -k -v -s -o /dev/null https://kubernetes.default.svc/version")
    assert r.code == 0, r
    assert "*  start date: Dec 31 23:41:40 9999 GMT\n*  expire date: Dec 31 23:59:59 9999 GMT\n" in r.err, r


# ------------------------------------------------------- damaged stored clocks
OUT_OF_RANGE = "is out of range (RFC 3339 years are 0001 to 9999)"


@pytest.mark.parametrize("stored, warning, repaired", [
    ("manual:1e23", f'"manual:1e23" {OUT_OF_RANGE}; using 9999-12-31T23:59:59Z instead', "manual:253402300799.0"),
    ("manual:inf", f'"manual:inf" {OUT_OF_RANGE}; using 9999-12-31T23:59:59Z instead', "manual:253402300799.0"),
    ("manual:1e400", f'"manual:1e400" {OUT_OF_RANGE}; using 9999-12-31T23:59:59Z instead', "manual:253402300799.0"),
    ("manual:253402300800.0", f'"manual:253402300800.0" {OUT_OF_RANGE}; using 9999-12-31T23:59:59Z instead',
     "manual:253402300799.0"),
    ("manual:nan", '"manual:nan" is not a number; using ', None),
    ("manual:", '"manual:" is not a number; using ', None),
    ("manual:-inf", f'"manual:-inf" {OUT_OF_RANGE}; using ', None),
    ("wall:inf", f'"wall:inf" {OUT_OF_RANGE}; using 9999-12-31T23:59:59Z instead', None),
    ("wall:nan", '"wall:nan" is not a number; using ', "wall:0.0"),
    ("sundial:12", '"sundial:12" is not one minikctl knows; using the wall clock', "wall:0.0"),
])
def test_damaged_clock_is_repaired_and_commands_keep_working(cluster, state, stored, warning, repaired):
    _plant(state, stored)
    warn = f"Warning: the stored cluster clock {warning}"
    for cmd in ("get svc", "clock", "get nodes"):
        r = cluster(cmd)
        assert r.code == 0, (cmd, r)
        assert r.err.startswith(warn) and r.err.count("\n") == 1, (cmd, r)
    assert _meta(state) == stored  # reading commands do not write
    # the first command that writes stores the repaired clock with its own writes
    r = cluster("create configmap c --from-literal=a=b")
    assert r.code == 0 and r.out == "configmap/c created\n" and r.err.startswith(warn), r
    if repaired:
        assert _meta(state) == repaired
    r = cluster("delete configmap c")
    assert (r.code, r.out, r.err) == (0, 'configmap "c" deleted\n', ""), r
    assert cluster("clock").err == ""
    r = cluster("clock advance 0")
    assert r.code == 0 and r.err == "", r


def test_a_refused_command_does_not_store_the_repair(cluster, state):
    _plant(state, "manual:1e23")
    r = cluster("create configmap bad_name")
    assert r.code == 1, r
    assert _meta(state) == "manual:1e23"


# ------------------------------------------------- the port itself (Go's tables)
# golang/go src/time/time_test.go parseDurationTests (values in nanoseconds)
S, MS, US, M, H = 10**9, 10**6, 10**3, 60 * 10**9, 3600 * 10**9


@pytest.mark.parametrize("text, want", [
    ("0", 0), ("5s", 5 * S), ("30s", 30 * S), ("1478s", 1478 * S), ("-5s", -5 * S), ("+5s", 5 * S), ("-0", 0),
    ("+0", 0), ("5.0s", 5 * S), ("5.6s", 5 * S + 600 * MS), ("5.s", 5 * S), (".5s", 500 * MS), ("1.0s", S),
    ("1.00s", S), ("1.004s", S + 4 * MS), ("1.0040s", S + 4 * MS), ("100.00100s", 100 * S + MS), ("10ns", 10),
    ("11us", 11 * US), ("12µs", 12 * US), ("12μs", 12 * US), ("13ms", 13 * MS), ("14s", 14 * S), ("15m", 15 * M),
    ("16h", 16 * H), ("3h30m", 3 * H + 30 * M), ("10.5s4m", 4 * M + 10 * S + 500 * MS),
    ("-2m3.4s", -(2 * M + 3 * S + 400 * MS)), ("1h2m3s4ms5us6ns", H + 2 * M + 3 * S + 4 * MS + 5 * US + 6),
    ("39h9m14.425s", 39 * H + 9 * M + 14 * S + 425 * MS), ("52763797000ns", 52763797000),
    ("0.3333333333333333333h", 20 * M), ("9007199254740993ns", (1 << 53) + 1),
    ("9223372036854775807ns", (1 << 63) - 1), ("9223372036854775.807us", (1 << 63) - 1),
    ("9223372036s854ms775us807ns", (1 << 63) - 1), ("-9223372036854775808ns", -(1 << 63)),
    ("-9223372036854775.808us", -(1 << 63)), ("-9223372036s854ms775us808ns", -(1 << 63)),
    ("-2562047h47m16.854775808s", -(1 << 63)), ("0.100000000000000000000h", 6 * M),
    ("0.830103483285477580700h", 49 * M + 48 * S + 372539827),
    # Go adds in uint64: two 1<<63 halves wrap to zero (kubectl 1.32 accepts it too)
    ("9223372036854775808ns9223372036854775808ns", 0),
])
def test_parse_duration_matches_go(text, want):
    from minikctl.api.clock import parse_duration

    assert parse_duration(text) == want


@pytest.mark.parametrize("text", ["", "3", "-", "s", ".", "-.", ".s", "+.s", "1d", "\udc85\udc85", "\udcffff",
                                  "hello \udcffff world", "\ufffd", "9223372036854775810ns", "9223372036854775808ns",
                                  "-9223372036854775809ns", "9223372036854776us", "3000000h",
                                  "9223372036854775.808us", "9223372036854ms775us808ns"])
def test_parse_duration_errors_match_go(text):
    from minikctl.api.clock import parse_duration

    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize("ns, text", [
    (0, "0s"), (1, "1ns"), (1100, "1.1µs"), (2200 * US, "2.2ms"), (3300 * MS, "3.3s"), (4 * M + 5 * S, "4m5s"),
    (4 * M + 5001 * MS, "4m5.001s"), (5 * H + 6 * M + 7001 * MS, "5h6m7.001s"), (8 * M + 1, "8m0.000000001s"),
    ((1 << 63) - 1, "2562047h47m16.854775807s"), (-(1 << 63), "-2562047h47m16.854775808s"), (H, "1h0m0s"),
])
def test_format_duration_matches_go(ns, text):
    """golang/go src/time/time_test.go durationTests (Duration.String)."""
    from minikctl.api.clock import format_duration, parse_duration

    assert format_duration(ns) == text
    assert parse_duration(text) == ns



def test_clock_start_pins_the_cluster_time(mk):
    """`cluster create --clock-start`: a manual clock starts at the given instant (offsets are
    converted to UTC), so a lab text or a doc can show exact times."""
    assert mk("cluster create --clock manual --clock-start 2025-06-30T23:59:30+02:00").code == 0
    assert mk("clock").out == "2025-06-30T21:59:30Z (manual)\n"
    mk("clock advance 45s")
    assert mk("clock").out == "2025-06-30T22:00:15Z (manual)\n"


def test_clock_start_refuses_a_malformed_time_and_creates_nothing(mk, state):
    import os
    for bad, why in (("bogus", '"bogus" is not an RFC 3339 time such as 2026-01-01T00:00:00Z'),
                     ("2026-02-30T00:00:00Z", '"2026-02-30T00:00:00Z": day or month out of range')):
        r = mk(f"cluster create --clock manual --clock-start {bad}")
        assert (r.code, r.out) == (1, "")
        assert r.err.splitlines()[0] == f'error: invalid argument for "--clock-start" flag: {why}'
        assert not os.path.exists(state) or mk("get nodes").code != 0
