"""The time phrases a gateway can keep ("in 30 minutes", "at 6 am"), the moment they name, and the file that keeps them."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from nanoiot import sentence
from nanoiot.gateway.payloads import Outbound
from nanoiot.gateway.schedule import Entry, Schedule, ScheduleError
from nanoiot.schema import When
from nanoiot.when import due, take

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize("text, after_s, rest", [
    ("turn off the porch light in 30 minutes", 1800, "turn off the porch light"),
    ("in an hour and a half turn off the heater", 5400, "turn off the heater"),
    ("start the vacuum in 2 and a half hours", 9000, "start the vacuum"),
    ("make me coffee in half an hour please", 1800, "make me coffee please"),
    ("switch the fan off in 5 mins time", 300, "switch the fan off"),
    ("lights off in about 10 seconds", 10, "lights off"),
    ("have the coffee ready in approximately 10 minutes from now", 600, "have the coffee ready"),
])
def test_a_delay_is_taken_out_of_the_sentence(text, after_s, rest):
    when, left = take(text)
    assert when is not None and when.after_s == after_s and when.at is None
    assert left == rest


@pytest.mark.parametrize("text, at, either, tomorrow", [
    ("make coffee at 6 am", "06:00", False, False),
    ("start the vacuum at 1 pm today", "13:00", False, False),
    ("time the coffee maker for 6 am", "06:00", False, False),
    ("turn the lights off at 12 pm", "12:00", False, False),
    ("turn the lights off at 12 am", "00:00", False, False),
    ("dim the lights at 7 in the evening", "19:00", False, False),
    ("turn off the porch light at 11 tonight", "23:00", False, False),
    ("turn on the heating at quarter to 7 pm", "18:45", False, False),
    ("turn on the heating at half past 6 tomorrow", "06:30", True, True),
    ("tomorrow morning at 6 30 make coffee", "06:30", False, True),
    ("turn on the lights at 7 o'clock", "07:00", True, False),
    ("turn on the lights at 18 00", "18:00", False, False),
    ("brew coffee at noon", "12:00", False, False),
    ("please turn on the radio on 7 am", "07:00", False, False),
    ("turn off everything at midnight", "00:00", False, False),
])
def test_a_time_of_day_is_taken_out_of_the_sentence(text, at, either, tomorrow):
    when, left = take(text)
    assert when is not None and (when.at, when.either_half, when.tomorrow) == (at, either, tomorrow)
    assert when.said in text and when.said not in left
    assert not any(w.isdigit() for w in left.split())  # the time's numbers never reach the model as a value


@pytest.mark.parametrize("text", [
    "turn the kitchen light to 50 percent",
    "set the thermostat at 21",  # a value, not a time
    "set the lamp to 7 30 percent",
    "turn off the light in a few minutes",  # how long is not said
    "turn off the lights at 13 pm",
    "turn on the lights in the kitchen",
])
def test_what_is_no_time_stays_in_the_sentence(text):
    assert take(text) == (None, text)


def test_a_repeat_or_a_condition_stays_refused_after_the_time_is_taken():
    """"every day at 7 am": the time is a time, the repeat is still no time a gateway keeps."""
    said = sentence.read("turn off the lights every day at 7 am")
    assert said.when is not None and said.later == "every day"
    said = sentence.read("turn off the lights in 10 minutes if nobody is home")
    assert said.when is not None and said.later and said.later.startswith("if")
    said = sentence.read("turn off the kitchen light in 10 minutes")
    assert said.when is not None and said.later is None and said.text == "turn off the kitchen light"


def _at(zone, *fields) -> float:
    return datetime(*fields, tzinfo=zone).timestamp()


def test_a_time_of_day_is_its_next_coming():
    morning = _at(BERLIN, 2026, 3, 10, 9, 0)
    assert due(When(at="06:00", said="at 6 am"), morning, BERLIN) == _at(BERLIN, 2026, 3, 11, 6, 0)
    assert due(When(at="13:00", said="at 1 pm"), morning, BERLIN) == _at(BERLIN, 2026, 3, 10, 13, 0)
    # no am / pm: 7:00 has passed, 19:00 comes first
    assert due(When(at="07:00", either_half=True, said="at 7 o'clock"), morning, BERLIN) == _at(BERLIN, 2026, 3, 10, 19, 0)
    # tomorrow's 13:00, not today's
    assert due(When(at="13:00", tomorrow=True, said="at 1 pm tomorrow"), morning, BERLIN) == _at(BERLIN, 2026, 3, 11, 13, 0)
    assert due(When(after_s=90, said="in 90 seconds"), morning, BERLIN) == morning + 90


def test_a_time_of_day_keeps_to_the_wall_clock_across_a_change_of_summer_time():
    """Berlin moves its clocks on 29 March 2026: "at 7 am" said the evening before is 10 hours away, not 11."""
    evening = _at(BERLIN, 2026, 3, 28, 20, 0)
    moment = due(When(at="07:00", said="at 7 am"), evening, BERLIN)
    assert datetime.fromtimestamp(moment, BERLIN).hour == 7
    assert moment - evening == 10 * 3600


def _entry(key: str, due_at: float) -> Entry:
    return Entry(key, due_at, "c1", "panel", "stop conveyor b in 10 minutes",
                 (Outbound("machine.conveyor_b", "nanoiot/home/device/conveyor_b/set", b'{"id": "c1"}'),))


def test_the_schedule_file_survives_a_restart_and_drops_what_was_missed_too_long(tmp_path):
    path = tmp_path / "gw.later.json"
    now = [1_000_000.0]
    schedule = Schedule(path, 10, grace_s=900, clock=lambda: now[0])
    schedule.add(_entry("a", now[0] + 60))
    schedule.add(_entry("b", now[0] + 3600))
    schedule.add(_entry("c/undo", now[0] + 60))
    assert schedule.due() == []
    now[0] += 1800  # down for half an hour: "a" is 29 minutes late (past the grace), "b" still ahead
    again = Schedule(path, 10, grace_s=900, clock=lambda: now[0])
    assert [e.key for e in again.due()] == ["c/undo"]  # an undoing is sent however late
    again.done("c/undo")
    assert len(again) == 1 and again.due() == []
    now[0] += 1800
    assert [e.key for e in again.due()] == ["b"] and again.due()[0].messages == _entry("b", 0).messages
    again.done("b")
    assert json.loads(path.read_text())["entries"] == []


def test_the_schedule_keeps_a_redelivered_command_at_its_first_moment_and_refuses_past_its_size(tmp_path):
    schedule = Schedule(tmp_path / "gw.later.json", 1, grace_s=0)
    first = schedule.add(_entry("a", 100.0))
    assert schedule.add(_entry("a", 200.0)) == first  # the same command again: its first moment stands
    with pytest.raises(ScheduleError) as full:
        schedule.add(_entry("b", 100.0))
    assert full.value.code == "overloaded"


def test_a_schedule_that_cannot_write_its_file_refuses_rather_than_promise(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    schedule = Schedule(blocked / "gw.later.json", 10, grace_s=0)
    with pytest.raises(ScheduleError) as failed:
        schedule.add(_entry("a", 100.0))
    assert failed.value.code == "schedule_failed" and len(schedule) == 0


def test_an_unreadable_schedule_file_is_set_aside_not_fatal(tmp_path):
    path = tmp_path / "gw.later.json"
    path.write_text("{not json")
    schedule = Schedule(path, 10, grace_s=0)
    assert len(schedule) == 0 and path.with_suffix(".unreadable").exists()


def test_the_schedule_keeps_a_command_and_its_undoing_together_or_neither(tmp_path):
    schedule = Schedule(tmp_path / "gw.later.json", 2, grace_s=0)
    schedule.add(_entry("a", 100.0))
    with pytest.raises(ScheduleError):
        schedule.add(_entry("b", 100.0), _entry("b/undo", 200.0))  # room for one of the two
    assert len(schedule) == 1
    assert [e.key for e in Schedule(tmp_path / "gw.later.json", 2, grace_s=0, clock=lambda: 100.0).due(300.0)] == ["a"]


@pytest.mark.parametrize("text, lasting, rest", [
    ("turn on the porch light for 10 minutes", 600, "turn on the porch light"),
    ("run the fan for half an hour please", 1800, "run the fan please"),
    ("open the valve for another 2 hours", 7200, "open the valve"),
])
def test_a_duration_is_taken_out_of_the_sentence(text, lasting, rest):
    said = sentence.read(text)
    assert said.lasting is not None and said.lasting.after_s == lasting and said.text == rest and said.later is None


def test_cancel_forgets_one_sources_entries_on_disk_too(tmp_path):
    path = tmp_path / "gw.later.json"
    schedule = Schedule(path, 10, grace_s=0, clock=lambda: 0.0)
    schedule.add(_entry("a", 100.0), _entry("a/undo", 200.0))
    other = Entry("b", 100.0, "c2", "hall", "lock the back door in 2 minutes", ())
    schedule.add(other)
    assert [e.key for e in schedule.cancel("panel")] == ["a", "a/undo"] and not schedule.waiting("panel")
    assert [e.key for e in Schedule(path, 10, grace_s=0, clock=lambda: 0.0).due(300.0)] == ["b"]


@pytest.mark.parametrize("text, at", [
    ("turn on the porch light at 7", "07:00"), ("turn off the lights at 10 and lock the doors", "10:00"),
    ("set the thermostat at 9", None), ("dim the lamp at 7", None), ("turn on pump 3 at 5", None),  # values, or a number beside
    ("tonight turn off the porch light at 11", "23:00"),
])
def test_a_bare_hour_is_a_time_only_where_nothing_takes_a_value(text, at):
    when, _ = take(text)
    assert (when.at if when else None) == at
    assert when is None or when.either_half == ("tonight" not in text)  # "at 7": 07:00 or 19:00, whichever comes first


def test_a_delay_without_its_unit_is_refused_not_done_now():
    """Was: "turn off the kitchen lights in 5" turned them off at once."""
    assert sentence.read("turn off the kitchen lights in 5").later == "in 5"
    assert sentence.read("turn on light 5").later is None


def test_a_cancel_that_cannot_be_written_keeps_the_entries_due(tmp_path):
    """The entries stay (a restart would send them from the file), so they must also still be sent now."""
    path = tmp_path / "gw.later.json"
    schedule = Schedule(path, 10, grace_s=0, clock=lambda: 0.0)
    schedule.add(_entry("a", 100.0))
    path.unlink()
    path.mkdir()  # the file cannot be replaced any more
    (path / "x").write_text("x")
    with pytest.raises(ScheduleError):
        schedule.cancel("panel")
    assert [e.key for e in schedule.due(100.0)] == ["a"]
