"""The record of recent commands: which entries it keeps, and for how long."""

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
    assert recent.get(("s", "a")) is None and len(recent) == 0


def test_expired_entries_at_the_front_are_dropped_on_put():
    clock = Clock()
    recent = RecentIds(max_size=10, ttl_s=5, clock=clock)
    recent.put(("s", "old"), {})
    clock.now = 6
    recent.put(("s", "new"), {})
    assert [key for key, _, _ in recent.items()] == [("s", "new")]


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


def test_an_unwritable_journal_costs_only_crash_dedup(tmp_path):
    path = tmp_path / "gw.jsonl"
    log = ResultLog(10, 600, path)
    path.mkdir()  # where the file should be: every write fails, as on a full or read-only disk
    log.put(("p", "1"), {"i": 1})  # logged, not raised
    assert log.get(("p", "1")) == {"i": 1}
