"""What the inference worker publishes: device messages it waits for, and answers it does not.

Device messages go out QoS 1 and the worker waits until the broker has every one of them
before it records the commands and acknowledges them: that order is what makes a killed
gateway lose nothing (docs/protocol.md, "Delivery guarantees"). Answers (results, errors)
are QoS 1 too, but nothing waits on them.
"""

from __future__ import annotations

import threading
import time
from typing import Callable

import structlog

from nanoiot.schema import CommandResult, ErrorInfo, ModelInfo

from .inbound import Command, Rejected, Received
from .mqtt import MqttLink
from .payloads import Outbound

log = structlog.get_logger()


class Outbox:
    def __init__(self, link: MqttLink, abandon: threading.Event, beat: Callable[[], None]) -> None:
        self.link = link
        self._abandon = abandon  # set when shutdown timed out: stop waiting on the broker
        self._beat = beat  # the worker's heartbeat, so a long wait is not taken for a stall

    def deliver(self, outbound: list[Outbound]) -> bool:
        """Publish device messages and wait until the broker has them all; False when it never will (shutdown)."""
        infos = [self.link.publish(o.topic, o.payload, qos=1) for o in outbound]
        for info in infos:
            while True:
                self._beat()
                try:
                    info.wait_for_publish(0.25)
                    if info.is_published():
                        break
                except (RuntimeError, ValueError) as exc:
                    log.error("device.publish_failed", error=str(exc))
                    return False
                if self._abandon.is_set():
                    return False
        return True

    def answer(self, command: Command | Rejected, result: CommandResult) -> None:
        """Publish `result` where the command asked for its answer (nothing when it named nowhere)."""
        if command.reply_topic is None:
            return
        self.link.publish(command.reply_topic, result.model_dump_json(exclude_none=False).encode(), qos=1,
                          correlation_data=command.correlation_data)


def error_result(code: str, message: str, command_id: str | None, source: str, msg: Received, model: ModelInfo) -> CommandResult:
    """An answer that nothing was done, with the time the command spent in the gateway."""
    return CommandResult(status="error", error=ErrorInfo(code=code, message=message), model=model, id=command_id,
                         source=source, latency_ms=round((time.monotonic() - msg.received) * 1000, 3))
