"""Commands for later through a real broker and the real model: answered at once, sent at their moment,
kept across a restart of the gateway, refused where they cannot be kept."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from support import WAIT, Recorder, make_config, model_missing, needs

from nanoiot.gateway.service import Gateway

pytestmark = needs(model_missing())


@pytest.fixture
def site() -> str:
    return f"l{uuid.uuid4().hex[:8]}"


def _send(rec: Recorder, site: str, command_id: str, text: str) -> float:
    rec.publish(f"nanoiot/{site}/command/line", json.dumps({"id": command_id, "text": text}))
    return time.monotonic()


def test_a_command_for_later_is_answered_now_and_sent_at_its_moment(broker, registry_file, parser, site):
    gw = Gateway(make_config(broker, registry_file, site), parser=parser).start()
    rec = Recorder(broker, [f"nanoiot/{site}/result/#", f"nanoiot/{site}/device/#"])
    arrived: dict[str, list[float]] = {}
    rec.client.on_message = _timing(rec.client.on_message, arrived)
    try:
        assert gw.wait_ready(WAIT)
        sent = _send(rec, site, "later-1", "stop conveyor b in 2 seconds")
        assert rec.wait_for(lambda: rec.on(f"nanoiot/{site}/result/line"))
        result = rec.json_on(f"nanoiot/{site}/result/line")[0]
        assert result["status"] == "ok" and result["when"]["after_s"] == 2 and result["scheduled_for"]
        assert [a["service"] for a in result["actions"]] == ["machine.stop"]
        assert not rec.on(f"nanoiot/{site}/device/#"), "sent before its moment"
        assert rec.wait_for(lambda: rec.on(f"nanoiot/{site}/device/conveyor_b/set"))
        assert arrived[f"nanoiot/{site}/device/conveyor_b/set"][0] - sent >= 1.9
        assert [m["id"] for m in rec.json_on(f"nanoiot/{site}/device/conveyor_b/set")] == ["later-1"]
        assert rec.wait_for(lambda: len(gw.schedule) == 0)
        time.sleep(0.6)  # a worker loop or two later: sent once, not again
        assert len(rec.on(f"nanoiot/{site}/device/#")) == 1
    finally:
        gw.stop()
        rec.close()


def _timing(handler, arrived: dict[str, list[float]]):
    """The recorder's handler, noting when each message of a topic arrived."""
    def on_message(client, userdata, message):
        arrived.setdefault(message.topic, []).append(time.monotonic())
        handler(client, userdata, message)
    return on_message


def test_a_command_for_later_outlives_its_gateway(broker, registry_file, parser, site, tmp_path):
    """Accepted, then the gateway stops before the moment; the next one with the same state directory sends it,
    and a retry of the command is answered from the record, not kept a second time."""
    config = make_config(broker, registry_file, site, state_dir=str(tmp_path))
    rec = Recorder(broker, [f"nanoiot/{site}/result/#", f"nanoiot/{site}/device/#"])
    first = Gateway(config, parser=parser).start()
    try:
        assert first.wait_ready(WAIT)
        _send(rec, site, "later-2", "stop conveyor b in 3 seconds")
        assert rec.wait_for(lambda: rec.on(f"nanoiot/{site}/result/line"))
    finally:
        first.stop()
    assert rec.json_on(f"nanoiot/{site}/result/line")[0]["status"] == "ok"
    assert not rec.on(f"nanoiot/{site}/device/#")
    second = Gateway(config, parser=parser).start()
    try:
        assert second.wait_ready(WAIT) and len(second.schedule) == 1
        _send(rec, site, "later-2", "stop conveyor b in 3 seconds")  # the sender's retry
        assert rec.wait_for(lambda: len(rec.on(f"nanoiot/{site}/result/line")) == 2)
        answers = rec.json_on(f"nanoiot/{site}/result/line")
        assert answers[1]["scheduled_for"] == answers[0]["scheduled_for"] and len(second.schedule) == 1
        assert rec.wait_for(lambda: rec.on(f"nanoiot/{site}/device/conveyor_b/set"))
        assert [m["id"] for m in rec.json_on(f"nanoiot/{site}/device/conveyor_b/set")] == ["later-2"]
    finally:
        second.stop()
        rec.close()


@pytest.mark.parametrize("text, limits, code", [
    ("unlock the front door in 5 minutes", {}, "unsupported"),  # a confirmation is for now
    ("stop conveyor b in 3 hours", {"max_schedule_ahead_s": 3600}, "out_of_range"),
    ("stop conveyor b in 3 minutes", {"max_scheduled": 0}, "overloaded"),
    ("is the front door locked in 5 minutes", {}, "unsupported"),  # a question is answered now
])
def test_a_command_for_later_that_cannot_be_kept_is_refused_and_nothing_is_sent(broker, registry_file, parser, site, text, limits, code):
    gw = Gateway(make_config(broker, registry_file, site, limits=limits), parser=parser).start()
    rec = Recorder(broker, [f"nanoiot/{site}/result/#", f"nanoiot/{site}/device/#"])
    try:
        assert gw.wait_ready(WAIT)
        _send(rec, site, "later-3", text)
        assert rec.wait_for(lambda: rec.on(f"nanoiot/{site}/result/line"))
        result = rec.json_on(f"nanoiot/{site}/result/line")[0]
        assert result["status"] == "rejected" and result["error"]["code"] == code, result
        assert len(gw.schedule) == 0 and result["scheduled_for"] is None
        assert not rec.on(f"nanoiot/{site}/device/#")
    finally:
        gw.stop()
        rec.close()


def test_a_command_that_lasts_a_while_is_done_now_and_undone_when_its_time_is_up(broker, registry_file, parser, site):
    """"unlock the front door for 2 seconds": confirmed (an unlock is), unlocked at once, locked again 2 s later."""
    gw = Gateway(make_config(broker, registry_file, site, zigbee2mqtt_base=f"z2m-{site}"), parser=parser).start()
    topic = f"z2m-{site}/front_door/set"
    rec = Recorder(broker, [f"nanoiot/{site}/result/#", topic])
    arrived: dict[str, list[float]] = {}
    rec.client.on_message = _timing(rec.client.on_message, arrived)
    try:
        assert gw.wait_ready(WAIT)
        _send(rec, site, "lasting-1", "unlock the front door for 2 seconds")
        assert rec.wait_for(lambda: rec.on(f"nanoiot/{site}/result/line"))
        assert rec.json_on(f"nanoiot/{site}/result/line")[0]["status"] == "needs_confirmation"
        sent = _send(rec, site, "lasting-2", "yes")
        assert rec.wait_for(lambda: len(rec.on(f"nanoiot/{site}/result/line")) == 2)
        result = rec.json_on(f"nanoiot/{site}/result/line")[1]
        assert result["status"] == "ok" and result["until"] and result["scheduled_for"] is None, result
        assert rec.wait_for(lambda: len(rec.on(topic)) == 2), rec.json_on("#")
        assert [m["state"] for m in rec.json_on(topic)] == ["UNLOCK", "LOCK"]
        assert arrived[topic][0] - sent < 1.5 and arrived[topic][1] - sent >= 1.9
        assert rec.wait_for(lambda: len(gw.schedule) == 0)
    finally:
        gw.stop()
        rec.close()


@pytest.mark.parametrize("text, confirm", [
    ("stop conveyor b for 10 minutes", {}),  # a machine is never started again on its own
    ("turn off the porch light for 10 minutes", {"rules": [{"service": "light.turn_on"}]}),  # the site confirms lights on
])
def test_a_command_whose_undoing_is_not_the_gateways_to_do_is_refused(broker, registry_file, parser, site, text, confirm):
    gw = Gateway(make_config(broker, registry_file, site, zigbee2mqtt_base=f"z2m-{site}", confirm=confirm), parser=parser).start()
    rec = Recorder(broker, [f"nanoiot/{site}/result/#", f"nanoiot/{site}/device/#", f"z2m-{site}/#"])
    try:
        assert gw.wait_ready(WAIT)
        _send(rec, site, "lasting-3", text)
        assert rec.wait_for(lambda: rec.on(f"nanoiot/{site}/result/line"))
        result = rec.json_on(f"nanoiot/{site}/result/line")[0]
        assert result["status"] == "rejected" and result["error"]["code"] == "unsupported", result
        time.sleep(0.3)
        assert not rec.on(f"nanoiot/{site}/device/#") and not rec.on(f"z2m-{site}/#") and len(gw.schedule) == 0
    finally:
        gw.stop()
        rec.close()


def test_cancel_drops_what_its_own_source_has_waiting_and_nothing_else(broker, registry_file, parser, site):
    gw = Gateway(make_config(broker, registry_file, site), parser=parser).start()
    rec = Recorder(broker, [f"nanoiot/{site}/result/#", f"nanoiot/{site}/device/#"])
    try:
        assert gw.wait_ready(WAIT)
        _send(rec, site, "c-1", "stop conveyor b in 2 seconds")
        rec.publish(f"nanoiot/{site}/command/office", json.dumps({"id": "c-2", "text": "stop conveyor b in 2 seconds"}))
        assert rec.wait_for(lambda: rec.on(f"nanoiot/{site}/result/line") and rec.on(f"nanoiot/{site}/result/office"))
        _send(rec, site, "c-3", "never mind")
        assert rec.wait_for(lambda: len(rec.on(f"nanoiot/{site}/result/line")) == 2)
        answer = rec.json_on(f"nanoiot/{site}/result/line")[1]
        assert answer["status"] == "ok" and answer["cancelled"] == ["c-1"] and answer["actions"] == [], answer
        assert rec.wait_for(lambda: rec.on(f"nanoiot/{site}/device/conveyor_b/set"))  # the office's, at its moment
        time.sleep(0.6)
        assert [m["id"] for m in rec.json_on(f"nanoiot/{site}/device/conveyor_b/set")] == ["c-2"]
        _send(rec, site, "c-4", "cancel that")  # nothing waiting: not a command at all
        assert rec.wait_for(lambda: len(rec.on(f"nanoiot/{site}/result/line")) == 3)
        assert rec.json_on(f"nanoiot/{site}/result/line")[2]["status"] != "ok"
    finally:
        gw.stop()
        rec.close()
