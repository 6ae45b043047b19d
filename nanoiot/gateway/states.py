"""Last known state of every registry device, from their retained state topics.

`query.get_state` is answered from here, with no round trip to the device: devices
publish state retained, so the cache is full right after (re)subscribing.
"""

from __future__ import annotations

import json
import threading

import structlog

from nanoiot.registry import Registry

from .topics import Topics

log = structlog.get_logger()

MAX_STATE_BYTES = 16384
SETPOINT_KEYS = ("current_heating_setpoint", "occupied_heating_setpoint", "temperature_setpoint", "target_temperature")


class StateCache:
    def __init__(self, registry: Registry, topics: Topics) -> None:
        self._by_topic: dict[str, str] = {}
        # discovery devices may publish plain states ("ON", "1"): device id -> payload -> state
        self._plain: dict[str, dict[str, str]] = {
            d.id: {str(d.discovery.get("payload_on", "ON")): "ON", str(d.discovery.get("payload_off", "OFF")): "OFF"}
            for d in registry.devices if d.origin == "homeassistant" and d.discovery
        }
        for device in registry.devices:
            topic = topics.device_state(device)
            if topic:
                self._by_topic[topic] = device.id
        self._states: dict[str, dict] = {}
        self._lock = threading.Lock()

    def rebuilt(self, registry: Registry, topics: Topics) -> "StateCache":
        """A cache for a changed registry that keeps what is known of the devices still in it."""
        fresh = StateCache(registry, topics)
        keep = set(fresh._by_topic.values())
        with self._lock:
            fresh._states = {k: v for k, v in self._states.items() if k in keep}
        return fresh

    @property
    def topics(self) -> list[str]:
        return sorted(self._by_topic)

    def handles(self, topic: str) -> bool:
        return topic in self._by_topic

    def update(self, topic: str, payload: bytes) -> None:
        """Called on the network thread: cheap, and bad state payloads are only logged."""
        device_id = self._by_topic.get(topic)
        if device_id is None:
            return
        if not payload:  # retained state cleared
            with self._lock:
                self._states.pop(device_id, None)
            return
        try:
            if len(payload) > MAX_STATE_BYTES:
                raise ValueError(f"{len(payload)} bytes")
            state = self._plain_state(device_id, payload)
            if state is None:
                state = json.loads(payload)
            if not isinstance(state, dict):
                raise ValueError("not a JSON object")
        except (ValueError, UnicodeDecodeError) as exc:
            log.info("state.bad_payload", device=device_id, topic=topic, error=str(exc)[:200])
            return
        with self._lock:
            self._states[device_id] = state

    def _plain_state(self, device_id: str, payload: bytes) -> dict | None:
        """A discovery device's plain state payload as {"state": ...}; None for JSON (or other devices)."""
        if device_id not in self._plain or payload[:1] in (b"{", b"["):
            return None
        text = payload.decode("utf-8").strip()
        return {"state": self._plain[device_id].get(text, text)}

    def setpoint(self, device_id: str) -> float | None:
        """A thermostat's setpoint as its last state says (Zigbee2MQTT's keys, then Home Assistant's), else None."""
        state = self.get(device_id) or {}
        for key in SETPOINT_KEYS:
            value = state.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
        return None

    def get(self, device_id: str) -> dict | None:
        with self._lock:
            state = self._states.get(device_id)
            return dict(state) if state is not None else None
