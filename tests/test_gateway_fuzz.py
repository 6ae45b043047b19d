"""Fuzz: generated malformed payloads, topics and MQTT 5 properties.

Most of them (10,000+) go through `decode()` and the gateway's classify step in-process,
which is where every byte of a command is first read; a bounded share goes through a
real broker to a running gateway while valid commands flow. Zero crashes, every valid
command answered and actuated once, every addressable bad one answered with its error code.
"""

from __future__ import annotations

import collections
import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from support import Recorder, make_config

from nanoiot.gateway.inbound import Command, Received, Rejected, decode
from nanoiot.gateway.topics import Topics

SITE = "fz"
TOPICS = Topics(prefix="nanoiot", site=SITE, gateway_id="gwf")
CODES = {"bad_topic", "bad_reply_topic", "too_large", "retained_command", "bad_encoding", "bad_json", "bad_request", "empty_text"}
MAX = 4096
FAST = settings(deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])

# --- what a hostile or broken device sends ------------------------------------------------
odd_text = st.text(st.characters(codec="utf-8"), max_size=300) | st.text(st.characters(max_codepoint=0x1F), max_size=50) \
    | st.sampled_from(["+", "#", "a/b", "/", "$SYS/x", "\u202e", "\x00", "\ufeff", "yes", "confirm 123456", " "]) \
    | st.integers(100, 5000).map(lambda n: "x" * n)
json_value = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | odd_text,
                          lambda inner: st.lists(inner, max_size=4) | st.dictionaries(odd_text, inner, max_size=4), max_leaves=12)
field_value = json_value | odd_text
command_object = st.fixed_dictionaries({}, optional={"id": field_value, "text": field_value, "reply_to": field_value,
                                                     "confirm": field_value, "extra": json_value})
deep = st.tuples(st.integers(10, 40) | st.integers(900, 2000) | st.integers(2000, 5000), st.sampled_from("[{"), st.booleans()).map(
    lambda t: '{"id": "d", "text": "x", "a": ' + ("[" * t[0] + "]" * t[0] if t[1] == "[" else '{"k":' * t[0] + "1" + "}" * t[0])
    + ("}" if t[2] else ""))
payloads = st.one_of(
    st.binary(max_size=600),
    st.binary(min_size=1, max_size=200).map(lambda b: b"\xff" + b),  # never valid UTF-8
    st.builds(lambda b: b"\xc3" + b, st.binary(max_size=50)),  # a truncated sequence
    command_object.map(lambda d: json.dumps(d, ensure_ascii=False).encode("utf-8", "surrogatepass")),
    json_value.map(lambda v: json.dumps(v).encode()),
    deep.map(str.encode),
    st.integers(MAX - 10, MAX * 5).map(lambda n: b'{"text": "' + b"a" * n + b'"}'),  # huge
    odd_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.text(max_size=80).map(lambda t: ('{"text": "' + t).encode("utf-8", "surrogatepass")),  # torn JSON
)
source = st.from_regex(r"[A-Za-z0-9_.-]{1,64}", fullmatch=True)


def mostly(common: st.SearchStrategy, rare: st.SearchStrategy, share: int = 8) -> st.SearchStrategy:
    """`common` in `share` of 10 draws: odd topics and flags must not hide the payload checks behind them."""
    return st.integers(0, 9).flatmap(lambda k: common if k < share else rare)


topics = mostly(source.map(lambda s: f"{TOPICS.command_root}/{s}"), st.one_of(
    odd_text.map(lambda s: f"{TOPICS.command_root}/{s}"),
    st.sampled_from([TOPICS.command_root, TOPICS.command_root + "/", TOPICS.command_root + "/a/b", "nanoiot/other/command/x"]),
    odd_text,
))
response = mostly(st.none(), odd_text | source.map(lambda s: f"nanoiot/{SITE}/reply/{s}") | st.sampled_from(
    ["zigbee2mqtt/front_door/set", f"nanoiot/{SITE}/reply/#", f"nanoiot/{SITE}/reply/+", f"nanoiot/{SITE}/result/x"]))
received = st.builds(Received, topic=topics, payload=payloads, qos=st.sampled_from([0, 1, 2]), mid=st.integers(0, 65535),
                     retain=mostly(st.just(False), st.just(True), 9), dup=st.booleans(), response_topic=response,
                     correlation_data=st.none() | st.binary(max_size=64), epoch=st.integers(0, 3))


def check_decoded(msg: Received, decoded: Command | Rejected) -> None:
    source = TOPICS.source_of(msg.topic)
    if isinstance(decoded, Rejected):
        assert decoded.code in CODES, decoded
        if source is not None:  # addressable: there is somewhere to answer
            assert decoded.reply_topic is not None and TOPICS.reply_allowed(decoded.reply_topic) or decoded.reply_topic == TOPICS.result(source)
        if decoded.reply_topic is not None:
            assert decoded.reply_topic == TOPICS.result(source or "") or TOPICS.reply_allowed(decoded.reply_topic)
    else:
        assert source is not None and decoded.source == source and decoded.text and decoded.text == decoded.text.strip()
        assert len(msg.payload) <= MAX and not msg.retain
        assert decoded.reply_topic == TOPICS.result(source) or TOPICS.reply_allowed(decoded.reply_topic)


@settings(FAST, max_examples=8000)
@given(received)
def test_decode_answers_every_message_and_never_raises(msg):
    check_decoded(msg, decode(msg, TOPICS, MAX))


@pytest.fixture(scope="module")
def offline_gateway(registry_file, parser):
    """A gateway that is never started: its classify step (dedup, confirmation, refusals) is called directly."""
    from nanoiot.gateway.config import load_config
    from nanoiot.gateway.service import Gateway

    config = load_config(overrides={"registry": str(registry_file), "site": SITE, "gateway_id": "gwf",
                                    "permissions": {"default": {"services": ["query.get_state"]}}}, environ={})
    return Gateway(config, parser=parser)


@settings(FAST, max_examples=400)
@given(batch=st.lists(received, min_size=1, max_size=12))
def test_classify_settles_or_forwards_every_message(offline_gateway, batch):
    from nanoiot.gateway.service import _Item

    gw = offline_gateway
    items = [_Item(msg, gw._decode(msg)) for msg in batch]
    fresh = gw._classify_batch(items)
    for index, item in enumerate(items):
        check_decoded(item.msg, item.decoded)
        if index in fresh:
            assert isinstance(item.decoded, Command) and item.result is None
        else:  # settled: an answer of its own, or the same as an earlier item of the batch
            assert item.result is not None or item.same_as is not None
            if item.result is not None:
                assert item.result.error is None or item.result.error.code != "internal_error", item.result


# --- through a real broker, valid commands flowing ---------------------------------------------
BROKER_SHARE = 300


def broker_safe(msgs: list[Received]) -> list[tuple[bytes, Properties | None]]:
    """Payloads and odd (but legal) MQTT 5 properties; topics are chosen by the test, one source per message."""
    out = []
    for i, msg in enumerate(msgs):
        props = Properties(PacketTypes.PUBLISH)
        if msg.correlation_data is not None:
            props.CorrelationData = msg.correlation_data
        if i % 3 == 0:
            props.UserProperty = [("k\u00e9y", "v" * (i % 50)), ("", "")]
        if i % 5 == 0:
            props.ContentType = "application/x-\u2603"
        if i % 7 == 0:
            props.MessageExpiryInterval = 3600
        out.append((msg.payload, props))
    return out


def test_fuzz_through_a_real_broker_while_valid_commands_flow(broker, registry_file, parser):
    from nanoiot.gateway.service import Gateway

    generated: list[Received] = []

    @settings(FAST, max_examples=BROKER_SHARE)
    @given(received)
    def collect(msg):
        generated.append(msg)

    collect()
    site = f"f{uuid.uuid4().hex[:8]}"
    topics = Topics(prefix="nanoiot", site=site, gateway_id=f"gw-{site}")
    config = make_config(broker, registry_file, site, permissions={"default": {"services": ["query.get_state"]},
                                                                   "sources": {"line": {}}})
    gw = Gateway(config, parser=parser).start()
    rec = Recorder(broker, [f"nanoiot/{site}/result/#", f"nanoiot/{site}/device/#"])
    try:
        assert gw.wait_ready(15)
        expected: dict[str, str | None] = {}  # source -> the error code decode() gives (None: goes to the model)
        valid = 0
        for i, (payload, props) in enumerate(broker_safe(generated)):
            src = f"fz{i}"
            expected[src] = None
            decoded = decode(Received(f"nanoiot/{site}/command/{src}", payload, 1, 0), topics, 4096)
            if isinstance(decoded, Rejected):
                expected[src] = decoded.code
            rec.publish(f"nanoiot/{site}/command/{src}", payload, properties=props)
            if i % 10 == 0:
                rec.publish(f"nanoiot/{site}/command/line", {"id": f"ok-{valid}", "text": "stop conveyor B"})
                valid += 1
        assert rec.wait_for(lambda: len(rec.on(f"nanoiot/{site}/result/#")) >= len(expected) + valid, 120), \
            len(rec.on(f"nanoiot/{site}/result/#"))
        answers = collections.defaultdict(list)
        for message in rec.on(f"nanoiot/{site}/result/#"):
            answers[message.topic.rsplit("/", 1)[1]].append(json.loads(message.payload))
        for src, code in expected.items():
            assert len(answers[src]) == 1, (src, answers[src])
            if code is not None:
                assert answers[src][0]["status"] == "error" and answers[src][0]["error"]["code"] == code, answers[src]
        assert sorted(r["id"] for r in answers["line"]) == sorted(f"ok-{i}" for i in range(valid))
        assert {r["status"] for r in answers["line"]} == {"ok"}
        actuated = collections.Counter(m["id"] for m in rec.json_on(f"nanoiot/{site}/device/conveyor_b/set"))
        assert actuated == collections.Counter({f"ok-{i}": 1 for i in range(valid)})  # fuzz acted on nothing
        assert gw.healthy() and gw.stats["error.internal_error"] == 0
    finally:
        gw.stop()
        rec.close()
