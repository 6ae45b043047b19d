"""Announce the gateway to Home Assistant by MQTT discovery, and the small topics that feed it.

Retained configs on `<discovery prefix>/<component>/nanoiot_<gateway_id>/<object_id>/config`,
all on one `device` and all `availability` on the gateway's availability topic:

- `text` Command: Home Assistant publishes what is typed to `<prefix>/<site>/command/homeassistant`,
  a plain-text command like any other; the gateway carries it out.
- `sensor` Last result (the spoken answer, the whole result as attributes) and
  Last diagnosis (the fault, the whole diagnosis as attributes).
- diagnostic `sensor`s: commands per minute, median latency (ms), model version, from
  the retained stats topic `<prefix>/<site>/gateway/<gateway_id>/stats`.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections import deque
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from nanoiot import __version__ as NANOIOT_VERSION
from nanoiot.gateway.topics import Topics

TEXT_SOURCE = "homeassistant"


class Availability(BaseModel):
    model_config = ConfigDict(extra="forbid")
    topic: str
    value_template: str = "{{ value_json.state }}"
    payload_available: str = "online"
    payload_not_available: str = "offline"


class DeviceBlock(BaseModel):
    model_config = ConfigDict(extra="forbid")
    identifiers: list[str]
    name: str
    manufacturer: str = "nanoiot"
    model: str = "natural-language MQTT gateway"
    sw_version: str = NANOIOT_VERSION


class EntityConfig(BaseModel):
    """The keys Home Assistant documents for MQTT `text` and `sensor` entities that we use."""

    model_config = ConfigDict(extra="forbid")
    name: str
    unique_id: str
    object_id: str
    device: DeviceBlock
    availability: list[Availability]
    icon: str | None = None
    entity_category: str | None = None
    # text
    command_topic: str | None = None
    max: int | None = None
    mode: str | None = None
    # sensor
    state_topic: str | None = None
    value_template: str | None = None
    json_attributes_topic: str | None = None
    unit_of_measurement: str | None = None
    state_class: str | None = None
    device_class: str | None = None


class Stats(BaseModel):
    """Retained on `<prefix>/<site>/gateway/<gateway_id>/stats`."""

    model_config = ConfigDict(extra="forbid")
    commands_per_minute: int
    median_latency_ms: float | None = Field(description="over the last 100 commands")
    model_version: str
    handled: int


class LastResult(BaseModel):
    """On `.../last_result` (retained): what the last command did, in words, with the result itself."""

    model_config = ConfigDict(extra="forbid")
    say: str = Field(max_length=255)
    status: str
    source: str
    id: str | None
    result: dict[str, Any]


class StatsWindow:
    """Commands per minute and median latency over a sliding window; thread-safe."""

    def __init__(self) -> None:
        self._times: deque[float] = deque()
        self._latencies: deque[float] = deque(maxlen=100)
        self.handled = 0
        self._lock = threading.Lock()

    def add(self, latency_ms: float) -> None:
        with self._lock:
            now = time.monotonic()
            self._times.append(now)
            self._latencies.append(latency_ms)
            self.handled += 1
            self._trim(now)

    def _trim(self, now: float) -> None:
        while self._times and now - self._times[0] > 60:
            self._times.popleft()

    def snapshot(self, model_version: str) -> Stats:
        with self._lock:
            self._trim(time.monotonic())
            median = round(statistics.median(self._latencies), 1) if self._latencies else None
            return Stats(commands_per_minute=len(self._times), median_latency_ms=median, model_version=model_version,
                         handled=self.handled)


def state_topics(topics: Topics) -> dict[str, str]:
    root = f"{topics.base}/gateway/{topics.gateway_id}"
    return {"stats": f"{root}/stats", "last_result": f"{root}/last_result", "last_diagnosis": f"{root}/last_diagnosis"}


def node_id(topics: Topics) -> str:
    return f"nanoiot_{topics.site}_{topics.gateway_id}".replace(".", "_")


def configs(topics: Topics, prefix: str = "homeassistant") -> dict[str, EntityConfig]:
    """Discovery topic -> config, for every entity the gateway announces."""
    node = node_id(topics)
    own = state_topics(topics)
    device = DeviceBlock(identifiers=[node], name=f"nanoiot {topics.site} {topics.gateway_id}")
    available = [Availability(topic=topics.availability)]

    def entity(component: str, object_id: str, name: str, **keys: Any) -> tuple[str, EntityConfig]:
        config = EntityConfig(name=name, unique_id=f"{node}_{object_id}", object_id=f"{node}_{object_id}",
                              device=device, availability=available, **keys)
        return f"{prefix}/{component}/{node}/{object_id}/config", config

    return dict([
        entity("text", "command", "Command", command_topic=f"{topics.command_root}/{TEXT_SOURCE}", max=255, mode="text",
               icon="mdi:message-text"),
        entity("sensor", "last_result", "Last result", state_topic=own["last_result"], value_template="{{ value_json.say }}",
               json_attributes_topic=own["last_result"], icon="mdi:message-reply-text"),
        entity("sensor", "last_diagnosis", "Last diagnosis", state_topic=own["last_diagnosis"],
               value_template="{{ value_json.fault | default(value_json.status) }}", json_attributes_topic=own["last_diagnosis"],
               icon="mdi:stethoscope"),
        entity("sensor", "commands_per_minute", "Commands per minute", state_topic=own["stats"],
               value_template="{{ value_json.commands_per_minute }}", unit_of_measurement="commands/min",
               state_class="measurement", entity_category="diagnostic", icon="mdi:speedometer"),
        entity("sensor", "median_latency", "Median latency", state_topic=own["stats"],
               value_template="{{ value_json.median_latency_ms }}", unit_of_measurement="ms", device_class="duration",
               state_class="measurement", entity_category="diagnostic"),
        entity("sensor", "model_version", "Model version", state_topic=own["stats"],
               value_template="{{ value_json.model_version }}", entity_category="diagnostic", icon="mdi:brain"),
    ])


def payload(config: EntityConfig) -> bytes:
    return config.model_dump_json(exclude_none=True).encode()
