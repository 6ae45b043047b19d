"""The record of recent commands: which entries it keeps, for how long, and what survives a restart."""

import json
import os
import time

from structlog.testing import capture_logs

from nanoiot.gateway.dedup import RecentIds, ResultLog


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_storing_a_key_again_makes_it_the_newest():
    """A command repeated often stays remembered; the oldest untouched one goes first."""
    recent = RecentIds(max_size=2, ttl_s=100, clock=Clock())
    recent.put(("s", "a"), {"n": 1})
    recent.put(("s", "b"), {"n": 2})
    recent.put(("s", "a"), {"n": 3})  # refreshed: now newer than b
    recent.put(("s", "c"), {"n": 4})
    assert recent.get(("s", "a")) == {"n": 3}
    assert recent.get(("s", "b")) is None
    assert recent.get(("s", "c")) == {"n": 4}
    assert [key for key, _, _ in recent.items()] == [("s", "a"), ("s", "c")]


def test_storing_a_key_again_restarts_its_time():
    clock = Clock()
    recent = RecentIds(max_size=10, ttl_s=10, clock=clock)
    recent.put(("s", "a"), {"n": 1})
    clock.now = 8
    recent.put(("s", "a"), {"n": 2})
    clock.now = 15  # 15 s after the first put, 7 after the second
    assert recent.get(("s", "a")) == {"n": 2}
    clock.now = 18
    assert recent.get(("s", "a")) is None


def test_an_entry_lives_exactly_its_time_and_a_given_expiry_wins():
    clock = Clock()
    recent = RecentIds(max_size=10, ttl_s=10, clock=clock)
    recent.put(("s", "a"), {"n": 1})
    recent.put(("s", "b"), {"n": 2}, expires=3)
    clock.now = 2.9
    assert recent.get(("s", "b")) == {"n": 2}
    clock.now = 3
    assert recent.get(("s", "b")) is None and len(recent) == 1
    clock.now = 9.99
    assert recent.get(("s", "a")) == {"n": 1}
    clock.now = 10
    assert len(recent) == 0 and recent.get(("s", "a")) is None


def test_expired_entries_at_the_front_are_dropped_on_put():
    clock = Clock()
    recent = RecentIds(max_size=10, ttl_s=5, clock=clock)
    recent.put(("s", "old"), {})
    clock.now = 6
    recent.put(("s", "new"), {})
    assert [key for key, _, _ in recent.items()] == [("s", "new")]


def test_without_a_journal_the_record_is_kept_in_memory_only(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    log = ResultLog(10, 600)
    log.put(("p", "1"), {"i": 1})
    log.close()
    assert log.get(("p", "1")) == {"i": 1} and list(tmp_path.iterdir()) == []


def test_a_journal_keeps_the_latest_result_of_a_key(tmp_path):
    path = tmp_path / "gw.jsonl"
    first = ResultLog(10, 600, path)
    first.put(("p", "1"), {"status": "error"})
    first.put(("p", "1"), {"status": "ok"})
    first.close()
    assert ResultLog(10, 600, path).get(("p", "1")) == {"status": "ok"}


def test_a_journal_loads_only_the_newest_entries_that_fit(tmp_path):
    path = tmp_path / "gw.jsonl"
    first = ResultLog(50, 600, path)
    for i in range(20):
        first.put(("p", str(i)), {"i": i})
    first.close()
    small = ResultLog(5, 600, path)
    assert [key for key, _, _ in small.recent.items()] == [("p", str(i)) for i in range(15, 20)]


def test_an_unwritable_journal_costs_only_crash_dedup_and_says_so(tmp_path):
    path = tmp_path / "gw.jsonl"
    log = ResultLog(10, 600, path)
    path.mkdir()  # where the file should be: every write fails, as on a full or read-only disk
    with capture_logs() as logs:
        log.put(("p", "1"), {"i": 1})  # logged, not raised
    assert log.get(("p", "1")) == {"i": 1}
    (event,) = [e for e in logs if e["event"] == "dedup.journal_failed"]
    assert event["log_level"] == "error" and event["path"] == str(path) and "directory" in event["error"]
    assert log.problem and str(path) in log.problem  # what the gateway's status shows


def test_the_journal_is_private_and_its_directories_are_made(tmp_path):
    path = tmp_path / "var" / "lib" / "nanoiot" / "gw.jsonl"
    with capture_logs() as logs:
        ResultLog(10, 600, path).put(("p", "1"), {"i": 1})
    assert (os.stat(path).st_mode & 0o777) == 0o600  # results may quote what people said
    assert [(e["event"], e["entries"], e["path"]) for e in logs] == [("dedup.loaded", 0, str(path))]
    assert ResultLog(10, 600, path).get(("p", "1")) == {"i": 1}


def test_the_journal_is_compacted_when_it_doubles_and_keeps_every_live_entry(tmp_path):
    """Compaction after 2 x size + 100 lines, to the entries in memory, with their expiry kept."""
    path = tmp_path / "gw.jsonl"
    log = ResultLog(10, 600, path)
    for i in range(120):
        log.put(("p", str(i)), {"i": i})
    assert len(path.read_text().splitlines()) == 120  # not yet
    log.put(("p", "120"), {"i": 120})
    lines = path.read_text().splitlines()
    assert len(lines) == 10 and [json.loads(line)["k"] for line in lines] == [["p", str(i)] for i in range(111, 121)]
    expiry = json.loads(lines[0])["e"]
    assert time.time() + 590 < expiry <= time.time() + 600.01  # wall-clock time, as written before
    log.close()
    again = ResultLog(10, 600, path)
    assert [k for k, _, _ in again.recent.items()] == [("p", str(i)) for i in range(111, 121)]
    assert again.get(("p", "111")) == {"i": 111}


def test_a_reloaded_entry_keeps_the_time_it_had_left(tmp_path):
    path = tmp_path / "gw.jsonl"
    path.write_text(json.dumps({"k": ["p", "1"], "e": time.time() + 5, "v": {"i": 1}}) + "\n")
    log = ResultLog(10, 600, path)
    ((_, expires, value),) = log.recent.items()
    assert json.loads(value) == {"i": 1} and 3 < expires - time.monotonic() <= 5


def test_a_bad_line_costs_only_itself_and_the_newest_result_of_a_key_wins(tmp_path):
    path = tmp_path / "gw.jsonl"
    later = time.time() + 60
    path.write_text("\n".join([
        json.dumps({"k": ["p", "a"], "e": later, "v": {"n": 1}}),
        "{not json",
        json.dumps({"k": ["p", "gone"], "e": time.time() - 1, "v": {"n": 0}}),  # expired
        json.dumps({"k": ["p", "b"], "e": later, "v": {"n": 2}}),
        json.dumps({"k": ["p", "a"], "e": later, "v": {"n": 3}}),  # a again: now the newest
        json.dumps({"k": ["p", "c"], "e": later, "v": "not a result"}),
    ]) + "\n")
    log = ResultLog(10, 600, path)
    assert [(k, json.loads(v)) for k, _, v in log.recent.items()] == [(("p", "b"), {"n": 2}), (("p", "a"), {"n": 3})]


def test_gateways_sharing_a_journal_see_what_the_others_recorded(tmp_path):
    path = tmp_path / "group-g.recent.jsonl"
    first, second = ResultLog(4, 60.0, path, shared=True), ResultLog(4, 60.0, path, shared=True)
    first.put(("line", "1"), {"status": "ok"})
    assert second.get(("line", "1")) is None
    second.refresh()
    assert second.get(("line", "1")) == {"status": "ok"}
    second.put(("panel", "w"), {"status": "ok"})  # the second now holds the file open
    # the first compacts (past 2 x 4 + 100 lines); the second, still holding the old file, follows it
    for i in range(2, 120):
        first.put(("line", str(i)), {"status": "ok", "n": i})
    assert len(path.read_text().splitlines()) < 100  # compacted
    second.put(("panel", "x"), {"status": "ok"})
    first.refresh()
    assert first.get(("panel", "x")) == {"status": "ok"}
    assert not list(tmp_path.glob("*.tmp"))
    reloaded = ResultLog(8, 60.0, path, shared=True)
    assert reloaded.get(("panel", "x")) == {"status": "ok"} and reloaded.get(("line", "119")) is not None


def test_a_journal_of_its_own_takes_in_nothing_from_outside(tmp_path):
    path = tmp_path / "gw.recent.jsonl"
    mine = ResultLog(4, 60.0, path)
    ResultLog(4, 60.0, path).put(("line", "1"), {"status": "ok"})  # a process that should not be writing here
    mine.refresh()
    assert mine.get(("line", "1")) is None


def test_the_record_of_results_is_kept_compact():
    """10,000 results are remembered: as dicts a typical one costs ~2.8 KB of Python objects, as its JSON ~0.5 KB."""
    import tracemalloc

    result = {"status": "ok", "actions": [{"service": "light.turn_off", "targets": ["light.kitchen_ceiling"], "data": {}},
                                          {"service": "climate.set_temperature", "targets": ["climate.thermostat"],
                                           "data": {"temperature": 21}}],
              "error": None, "model": {"name": "nanoiot-command", "version": "2.1.0"}, "text": "turn off the kitchen lights"}
    log = ResultLog(1000, 600)
    tracemalloc.start()
    try:
        entries = [(("p", str(i)), json.loads(json.dumps({**result, "id": str(i)}))) for i in range(1000)]  # as parsed
        log.put_many(entries)
        del entries  # what is left is what the record holds
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < 1000 * 1024  # under 1 KB a result, key and bookkeeping included
    assert log.get(("p", "7")) == {**result, "id": "7"}
