"""What the gateway promises around acknowledgements, through a real broker and the real model:
a broker redelivery of a command it already carried out is answered, not actuated again, and
stop() answers every command it had already taken before it disconnects."""

from __future__ import annotations

import socket
import threading
import uuid
from types import SimpleNamespace

import pytest
from support import WAIT, Recorder, make_config, model_missing, needs, until

from nanoiot.gateway.service import Gateway

pytestmark = needs(model_missing())
MACHINE_COMMAND = "stop conveyor B"  # a machine action: its device message carries the command id


@pytest.fixture
def site() -> str:
    return f"r{uuid.uuid4().hex[:8]}"


def recorder(broker, site: str) -> Recorder:
    return Recorder(broker, [f"nanoiot/{site}/result/#", f"nanoiot/{site}/device/#"])


def test_a_redelivered_command_without_an_id_is_answered_from_the_record_not_actuated_again(broker, registry_file, parser, site):
    """Plain text has no id of its sender's: only the (session, packet id) record knows a broker
    redelivery (DUP=1, same packet id) of a command whose acknowledgement was lost."""
    gw = Gateway(make_config(broker, registry_file, site), parser=parser).start()
    rec = recorder(broker, site)
    acked = gw.link.ack
    lost: list[int] = []

    def lose_the_first_ack(mid: int, qos: int, epoch: int) -> bool:
        if qos and not lost:  # the acknowledgement never reaches the broker: the connection drops first
            lost.append(mid)
            # the result went out before the ack; drop the line once it has arrived, not while it is in flight
            rec.wait_for(lambda: len(rec.on(f"nanoiot/{site}/result/line")) == 1)
            gw.link.client.socket().shutdown(socket.SHUT_RDWR)
            return True
        return acked(mid, qos, epoch)

    try:
        assert gw.wait_ready(WAIT)
        assert gw.probe.done.wait(WAIT)  # its pings are acknowledged too: the lost ack must be the command's
        gw.link.ack = lose_the_first_ack  # type: ignore[method-assign]
        rec.publish(f"nanoiot/{site}/command/line", MACHINE_COMMAND)
        assert rec.wait_for(lambda: len(rec.on(f"nanoiot/{site}/result/line")) == 2), rec.json_on("#")
        first, again = rec.json_on(f"nanoiot/{site}/result/line")[:2]  # a retransmitted result may make a third
        assert lost and first == again and first["status"] == "ok"
        assert [m["id"] for m in rec.json_on(f"nanoiot/{site}/device/conveyor_b/set")] == [first["id"]]
        # the second result may be the first one's own retransmission (its PUBACK was lost with the line too), so the
        # redelivered command can still be on its way: wait for it to be answered from the record
        assert until(lambda: gw.stats["repeats"] == 1) and gw.stats["handled"] == 1, dict(gw.stats)
    finally:
        gw.stop()
        rec.close()


class GatedParser:
    """The real parser, held at the door of its first batch until the test opens it."""

    def __init__(self, parser) -> None:
        self._parser = parser
        self.entered = threading.Event()
        self.gate = threading.Event()

    def parse_batch(self, *args, **kw):
        self.entered.set()
        assert self.gate.wait(WAIT), "the test never opened the gate"
        return self._parser.parse_batch(*args, **kw)

    def __getattr__(self, name):
        return getattr(self._parser, name)


def test_stop_answers_every_command_already_taken(broker, registry_file, parser, site):
    """The broker confirms each device message 0.4 s late (a slow link), longer than one wait for it:
    stop() must let the worker finish all four commands it took, not abandon them mid-publish."""
    from test_deploy_sdnotify import DelayProxy

    proxy = DelayProxy(broker.host, broker.port, delay=0.4)
    gated = GatedParser(parser)
    config = make_config(SimpleNamespace(host="127.0.0.1", port=proxy.port), registry_file, site, limits={"max_batch_size": 1})
    gw = Gateway(config, parser=gated).start()
    rec = recorder(broker, site)
    try:
        assert gw.wait_ready(WAIT)
        ids = [f"st-{i}" for i in range(4)]
        for command_id in ids:
            rec.publish(f"nanoiot/{site}/command/line", {"id": command_id, "text": MACHINE_COMMAND})
        assert gated.entered.wait(WAIT)  # the first in the model, the other three waiting in the queue
        assert rec.wait_for(lambda: gw._queue.qsize() == 3)
        stopping = threading.Thread(target=gw.stop, kwargs={"timeout": 30})
        stopping.start()
        gated.gate.set()
        stopping.join(40)
        assert not stopping.is_alive()
        assert rec.wait_for(lambda: len(rec.on(f"nanoiot/{site}/result/line")) == 4), rec.json_on("#")
        assert sorted(r["id"] for r in rec.json_on(f"nanoiot/{site}/result/line")) == ids
        assert sorted(m["id"] for m in rec.json_on(f"nanoiot/{site}/device/conveyor_b/set")) == ids
    finally:
        gated.gate.set()
        gw.stop()
        rec.close()
        proxy.close()
