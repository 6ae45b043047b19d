"""Decoding received messages: every bad input gets its own code, good ones become commands."""

import json

import pytest

from nanoiot.gateway.dedup import ResultLog, RecentIds
from nanoiot.gateway.inbound import Command, Received, Rejected, decode
from nanoiot.gateway.topics import Topics

TOPICS = Topics(prefix="nanoiot", site="home", gateway_id="gw1")
TOPIC = "nanoiot/home/command/kitchen_panel"


def msg(payload, topic=TOPIC, **kw):
    if isinstance(payload, (dict, list)):
        payload = json.dumps(payload)
    if isinstance(payload, str):
        payload = payload.encode()
    return Received(topic=topic, payload=payload, qos=1, mid=1, **kw)


def test_plain_text_gets_an_id_and_the_default_reply_topic():
    cmd = decode(msg("  turn on the lights \n"), TOPICS, 4096)
    assert isinstance(cmd, Command)
    assert cmd.text == "turn on the lights" and cmd.source == "kitchen_panel"
    assert cmd.id.startswith("gw1-") and not cmd.sender_id
    assert cmd.reply_topic == "nanoiot/home/result/kitchen_panel"
    assert decode(msg("turn on the lights"), TOPICS, 4096).id != cmd.id


def test_json_command_with_reply_to_and_response_topic():
    cmd = decode(msg({"id": "p-1", "text": "lock the door", "reply_to": "nanoiot/home/reply/p", "extra": 1}), TOPICS, 4096)
    assert (cmd.id, cmd.sender_id, cmd.text, cmd.reply_topic) == ("p-1", True, "lock the door", "nanoiot/home/reply/p")
    props = decode(msg({"text": "x", "reply_to": "nanoiot/home/reply/p"}, response_topic="nanoiot/home/reply/q", correlation_data=b"\x01"), TOPICS, 4096)
    assert props.reply_topic == "nanoiot/home/reply/q"  # MQTT 5 response topic wins
    assert props.correlation_data == b"\x01" and not props.sender_id


@pytest.mark.parametrize(
    "payload, code, kw",
    [
        (b"\xff\xfeturn on", "bad_encoding", {}),
        ("{not json", "bad_json", {}),
        ("[1, 2]", "bad_request", {}),
        ({"id": "a"}, "bad_request", {}),  # text missing
        ({"id": "a", "text": 5}, "bad_request", {}),  # wrong type
        ({"id": 7, "text": "hi"}, "bad_request", {}),
        ({"id": "a", "text": "hi", "reply_to": 3}, "bad_request", {}),
        ({"id": "a", "text": "   "}, "empty_text", {}),
        ({"confirm": " "}, "bad_request", {}),  # a blank token confirms nothing (found by the fuzz test)
        ("", "empty_text", {}),
        (" \n\t", "empty_text", {}),
        ("x" * 5000, "too_large", {}),
        ("turn on", "retained_command", {"retain": True}),
        ({"text": "hi", "reply_to": "zigbee2mqtt/front_door/set"}, "bad_reply_topic", {}),
        ("hi", "bad_reply_topic", {"response_topic": "zigbee2mqtt/front_door/set"}),
        ("hi", "bad_topic", {"topic": "nanoiot/home/command/a/b"}),
        ("hi", "bad_topic", {"topic": "nanoiot/home/command"}),
    ],
)
def test_bad_input_codes(payload, code, kw):
    result = decode(msg(payload, **kw), TOPICS, 4096)
    assert isinstance(result, Rejected)
    assert result.code == code, result.message
    assert result.message


@pytest.mark.parametrize("depth", [17, 1000, 1500])
def test_deeply_nested_json_is_a_bad_request_not_a_recursion_error(depth):
    payload = '{"id": "deep-1", "text": "turn on the lights", "x": ' + "[" * depth + "]" * depth + "}"
    assert len(payload) < 4096
    result = decode(msg(payload), TOPICS, 4096)
    assert isinstance(result, Rejected) and result.code == "bad_request", result
    assert "nested" in result.message and result.reply_topic == "nanoiot/home/result/kitchen_panel"


def test_brackets_inside_strings_and_shallow_nesting_are_fine():
    text = "turn on the lights " + "[{" * 30  # brackets in the text are words, not nesting
    cmd = decode(msg({"id": "s-1", "text": text, "x": [[[{"a": [1]}]]]}), TOPICS, 4096)
    assert isinstance(cmd, Command) and cmd.text == text.strip()


def test_bad_input_is_answered_where_it_can_be():
    missing = decode(msg({"id": "a-1"}), TOPICS, 4096)
    assert missing.id == "a-1" and missing.reply_topic == "nanoiot/home/result/kitchen_panel"
    assert "text" in missing.message  # names the field
    hijack = decode(msg({"id": "a-2", "text": "x", "reply_to": "zigbee2mqtt/front_door/set"}), TOPICS, 4096)
    assert hijack.reply_topic == "nanoiot/home/result/kitchen_panel"  # never the device topic
    no_source = decode(msg("hi", topic="nanoiot/home/command/a/b"), TOPICS, 4096)
    assert no_source.reply_topic is None
    with_response = decode(msg("hi", topic="nanoiot/home/command/a/b", response_topic="nanoiot/home/reply/z"), TOPICS, 4096)
    assert with_response.reply_topic == "nanoiot/home/reply/z"


def test_recent_ids_expire_and_stay_bounded():
    now = [0.0]
    recent = RecentIds(max_size=3, ttl_s=10, clock=lambda: now[0])
    for i in range(5):
        recent.put(("s", str(i)), {"i": i})
    assert len(recent) == 3 and recent.get(("s", "0")) is None and recent.get(("s", "4")) == {"i": 4}
    now[0] = 10.5
    assert recent.get(("s", "4")) is None and len(recent) == 0


def test_ids_are_per_source():
    recent = RecentIds(max_size=10, ttl_s=10)
    recent.put(("panel_a", "1"), {"from": "a"})
    assert recent.get(("panel_b", "1")) is None


def test_journal_survives_a_restart_and_skips_a_torn_line(tmp_path):
    path = tmp_path / "state" / "gw.recent.jsonl"
    first = ResultLog(100, 600, path)
    first.put(("panel", "c-1"), {"id": "c-1", "status": "ok"})
    first.put(("panel", "c-2"), {"id": "c-2", "status": "rejected"})
    with path.open("a") as handle:
        handle.write('{"k": ["panel", "c-3"], "e": 9e')  # killed mid-write
    second = ResultLog(100, 600, path)
    assert second.get(("panel", "c-1")) == {"id": "c-1", "status": "ok"}
    assert second.get(("panel", "c-2"))["status"] == "rejected"
    assert second.get(("panel", "c-3")) is None
    expired = ResultLog(100, 0.001, tmp_path / "other.jsonl")
    expired.put(("p", "x"), {"a": 1})
    import time

    time.sleep(0.01)
    assert ResultLog(100, 600, tmp_path / "other.jsonl").get(("p", "x")) is None


def test_journal_is_compacted(tmp_path):
    path = tmp_path / "gw.jsonl"
    log = ResultLog(10, 600, path)
    for i in range(200):
        log.put(("p", str(i)), {"i": i})
    assert len(path.read_text().splitlines()) <= 2 * 10 + 101
    reloaded = ResultLog(10, 600, path)
    assert reloaded.get(("p", "199")) == {"i": 199} and reloaded.get(("p", "0")) is None
