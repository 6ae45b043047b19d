"""Bursts far past Receive Maximum, through a real Mosquitto (2.0.11 on Debian keeps to it only
for the first window): every command is answered exactly once and actuated at most once."""

from __future__ import annotations

import collections
import json
import threading
import time
import uuid

import paho.mqtt.client as mqtt
import pytest
from support import Recorder, make_config

from nanoiot.gateway.service import Gateway

BURST = 5000
COMMAND = "stop conveyor B"  # a machine action: its device payload carries the command id


@pytest.fixture
def site() -> str:
    return f"b{uuid.uuid4().hex[:8]}"


def _burst(broker, site: str, n: int) -> None:
    """Publish n QoS 1 commands as fast as paho can, no client-side in-flight limit."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"burst-{uuid.uuid4().hex[:8]}", protocol=mqtt.MQTTv5)
    client.max_inflight_messages_set(0)
    client.max_queued_messages_set(0)
    client.connect(broker.host, broker.port)
    client.loop_start()
    try:
        infos = [client.publish(f"nanoiot/{site}/command/line", json.dumps({"id": f"x-{i}", "text": COMMAND}), qos=1)
                 for i in range(n)]
        for info in infos:
            info.wait_for_publish(60)
    finally:
        client.disconnect()
        client.loop_stop()


def _check(rec: Recorder, site: str, n: int) -> collections.Counter:
    ids = {f"x-{i}" for i in range(n)}
    # counts are asserted, never times (bench measures speed); 5,000 take a few seconds, the wait is for a loaded CI machine
    assert rec.wait_for(lambda: len(rec.on(f"nanoiot/{site}/result/line")) >= n, 300), len(rec.on(f"nanoiot/{site}/result/line"))
    time.sleep(0.5)  # anything answered twice would arrive now
    answers = collections.Counter(r["id"] for r in rec.json_on(f"nanoiot/{site}/result/line"))
    assert set(answers) == ids and max(answers.values()) == 1, [k for k, v in answers.items() if v > 1][:5]
    results = {r["id"]: r for r in rec.json_on(f"nanoiot/{site}/result/line")}
    actuated = collections.Counter(m["id"] for m in rec.json_on(f"nanoiot/{site}/device/conveyor_b/set"))
    assert max(actuated.values()) == 1  # none actuated twice
    for command_id, result in results.items():  # each is done, or refused with a code the sender can retry on
        assert (result["status"] == "ok" and actuated[command_id] == 1) or (
            (result.get("error") or {}).get("code") == "overloaded" and actuated[command_id] == 0), result
    return collections.Counter(r["status"] for r in results.values())


def test_a_burst_of_qos1_commands_is_answered_once_each(broker, registry_file, parser, site):
    gw = Gateway(make_config(broker, registry_file, site), parser=parser).start()
    rec = Recorder(broker, [f"nanoiot/{site}/result/#", f"nanoiot/{site}/device/#"])
    try:
        assert gw.wait_ready(15)
        _burst(broker, site, BURST)
        statuses = _check(rec, site, BURST)
        assert statuses["ok"] == BURST, statuses  # the default queue holds such a burst: nothing refused
        assert gw.stats["dropped"] == 0
    finally:
        gw.stop()
        rec.close()


def test_a_full_queue_answers_overloaded_never_silence(broker, registry_file, parser, site):
    gw = Gateway(make_config(broker, registry_file, site, limits={"queue_size": 50, "max_batch_size": 8}), parser=parser).start()
    rec = Recorder(broker, [f"nanoiot/{site}/result/#", f"nanoiot/{site}/device/#"])
    try:
        assert gw.wait_ready(15)
        _burst(broker, site, 2000)
        statuses = _check(rec, site, 2000)
        assert statuses["error"] > 0 and statuses["ok"] > 0, statuses
        assert gw.stats["error.overloaded"] == statuses["error"]
    finally:
        gw.stop()
        rec.close()


def test_a_burst_split_between_two_gateways_is_answered_once_each(broker, registry_file, parser, site):
    gateways = [Gateway(make_config(broker, registry_file, site, gateway_id=f"w{i}", shared_group=f"g{site}"), parser=parser).start()
                for i in range(2)]
    rec = Recorder(broker, [f"nanoiot/{site}/result/#", f"nanoiot/{site}/device/#"])
    try:
        assert all(gw.wait_ready(15) for gw in gateways)
        threads = [threading.Thread(target=_burst, args=(broker, site, BURST))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        statuses = _check(rec, site, BURST)
        assert statuses["ok"] == BURST, statuses
        assert all(gw.stats["handled"] > 0 for gw in gateways)
    finally:
        for gw in gateways:
            gw.stop()
        rec.close()
