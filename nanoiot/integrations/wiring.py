"""The thin layer between the gateway and the integrations: the only thing service.py calls.

- network thread: `subscriptions()`, `handles(topic)` / `on_message()` (registry imports are
  parsed there, cheaply, and merged; the last diagnosis is republished for Home Assistant),
  `announce()` on every (re)connect;
- inference worker: `take_registry()` between batches, `after_batch(results)`;
- lifecycle: `start()` / `stop()` (the Wyoming service when `wyoming_uri` is set, the stats timer).
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

import structlog
from paho.mqtt.client import topic_matches_sub
from paho.mqtt.subscribeoptions import SubscribeOptions
from pydantic import ValidationError

from nanoiot.registry import Registry
from nanoiot.schema import CommandResult

from . import discovery
from .ha_import import DiscoveryError, parse_config
from .intents import registry_names, spoken
from .live_registry import LiveRegistry
from .z2m_import import parse_bridge_devices

if TYPE_CHECKING:
    from nanoiot.gateway.service import Gateway

log = structlog.get_logger()

STATS_EVERY_S = 30.0
MAX_IMPORT_BYTES = 4 * 1024 * 1024  # a bridge/devices list of a few hundred devices is well under this


class Integrations:
    def __init__(self, gateway: "Gateway") -> None:
        self.gateway = gateway
        config = gateway.config
        self.topics = gateway.topics
        self.live = LiveRegistry(gateway.registry)
        self.bridge_topic = f"{config.zigbee2mqtt_base}/bridge/devices" if config.import_zigbee2mqtt else None
        self.prefix = config.discovery_prefix
        self.discovery_filters = [f"{self.prefix}/+/+/config", f"{self.prefix}/+/+/+/config"] if config.import_homeassistant else []
        self.announcing = config.announce_discovery
        self.own = discovery.state_topics(self.topics)
        self.diagnosis_filter = f"{self.topics.base}/diagnosis/+"
        # what every topic handled here starts with: a command is told apart by one startswith, not a filter match
        self._heads = tuple(f.split("+")[0] for f in self.discovery_filters + ([self.diagnosis_filter] if self.announcing else []))
        self.stats = discovery.StatsWindow()
        self._last_stats = 0.0
        self._stats_dirty = False
        self._stop = threading.Event()
        self._timer: threading.Thread | None = None
        self.wyoming: Any = None

    # --- lifecycle -------------------------------------------------------------
    def start(self) -> None:
        if self.announcing:
            self._timer = threading.Thread(target=self._tick, name="nanoiot-stats", daemon=True)
            self._timer.start()
        uri = self.gateway.config.wyoming_uri
        if uri:
            from .gateway_client import GatewayClient
            from .wyoming_service import WyomingThread, describe

            client = GatewayClient(self.gateway.config, self.topics.site, "wyoming")
            names = registry_names(_Current(self.gateway))
            self.wyoming = WyomingThread(uri, client, names, describe(self._model_version())).start()

    def stop(self) -> None:
        self._stop.set()
        if self.wyoming is not None:
            self.wyoming.stop()
        if self._timer is not None:
            self._timer.join(2)

    # --- network thread ----------------------------------------------------------
    def subscriptions(self) -> list[tuple[str, SubscribeOptions]]:
        subs = [(t, SubscribeOptions(qos=0)) for t in self.discovery_filters]
        if self.bridge_topic:
            subs.append((self.bridge_topic, SubscribeOptions(qos=0)))
        if self.announcing:
            subs.append((self.diagnosis_filter, SubscribeOptions(qos=0)))
        return subs

    def handles(self, topic: str) -> bool:
        if topic == self.bridge_topic:
            return True
        if not topic.startswith(self._heads):
            return False
        return any(topic_matches_sub(f, topic) for f in self.discovery_filters) or (
            self.announcing and topic_matches_sub(self.diagnosis_filter, topic))

    def on_message(self, topic: str, payload: bytes) -> None:
        if len(payload) > MAX_IMPORT_BYTES:
            log.warning("import.too_large", topic=topic[:200], bytes=len(payload))
            return
        if topic == self.bridge_topic:
            self._bridge(payload)
        elif self.announcing and topic_matches_sub(self.diagnosis_filter, topic):
            if payload:
                self.gateway.link.publish(self.own["last_diagnosis"], payload, qos=0, retain=True)
        else:
            self._discovered(topic, payload)

    def _bridge(self, payload: bytes) -> None:
        if not payload:
            self.live.set_zigbee2mqtt([], [])
            return
        try:
            devices, areas = parse_bridge_devices(payload, self.gateway.config.zigbee2mqtt_base)
        except (ValueError, UnicodeDecodeError) as exc:
            log.warning("z2m.bad_device_list", topic=self.bridge_topic, error=str(exc)[:200])
            return
        log.info("z2m.devices", count=len(devices), ids=[d.id for d in devices][:50])
        self.live.set_zigbee2mqtt(devices, areas)

    def _discovered(self, topic: str, payload: bytes) -> None:
        if not payload:
            self.live.set_discovered(topic, None)
            return
        try:
            device = parse_config(topic, payload, self.prefix)
        except (DiscoveryError, ValidationError) as exc:
            log.info("discovery.ignored", topic=topic[:200], error=str(exc)[:200])
            self.live.set_discovered(topic, None)
            return
        if device is not None:
            self.live.set_discovered(topic, device)

    def announce(self) -> None:
        """On every (re)connect: the retained discovery configs, then the stats."""
        if not self.announcing:
            return
        for topic, config in discovery.configs(self.topics, self.prefix).items():
            self.gateway.link.publish(topic, discovery.payload(config), qos=1, retain=True)
        self._publish_stats()

    # --- worker ------------------------------------------------------------------
    def take_registry(self) -> Registry | None:
        return self.live.take()

    def after_batch(self, results: list[CommandResult]) -> None:
        if not self.announcing or not results:
            return
        for result in results:
            self.stats.add(result.latency_ms)
        last = results[-1]
        names = registry_names(self.gateway.registry)
        said = discovery.LastResult(say=spoken(last, names)[:255], status=last.status, source=last.source, id=last.id,
                                    result=last.model_dump(mode="json"))
        self.gateway.link.publish(self.own["last_result"], said.model_dump_json().encode(), qos=0, retain=True)
        if time.monotonic() - self._last_stats > 1.0:
            self._publish_stats()
        else:
            self._stats_dirty = True  # a burst: the timer publishes within a second

    def _publish_stats(self) -> None:
        self._last_stats, self._stats_dirty = time.monotonic(), False
        stats = self.stats.snapshot(self._model_version())
        self.gateway.link.publish(self.own["stats"], stats.model_dump_json().encode(), qos=0, retain=True)

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            due = self._stats_dirty or time.monotonic() - self._last_stats > STATS_EVERY_S
            if due and self.gateway.link.connected.is_set():
                self._publish_stats()  # also: commands per minute falls back to 0 when nothing is said

    def _model_version(self) -> str:
        parser = self.gateway.parser
        return parser.model_info.version if parser is not None else "unknown"


class _Current:
    """The gateway's registry as it is now (it is swapped when imports change it)."""

    def __init__(self, gateway: "Gateway") -> None:
        self.gateway = gateway

    def get(self, device_id: str) -> Any:
        return self.gateway.registry.get(device_id)
