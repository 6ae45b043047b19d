"""The registry file plus what Zigbee2MQTT and Home Assistant discovery announce, merged.

The network thread hands every import here; the worker takes the merged registry
between batches (`take()`), so a parse never sees the registry change under it.
The file wins on conflict: an imported device whose id or command topic a file device
already has is left out, and so is a discovery config for a device Zigbee2MQTT's own
list already gave us (Zigbee2MQTT announces its devices to Home Assistant too).
"""

from __future__ import annotations

import threading

import structlog

from nanoiot.registry import Area, Device, Registry

log = structlog.get_logger()


class LiveRegistry:
    def __init__(self, base: Registry) -> None:
        self.base = base
        self._zigbee2mqtt: list[Device] = []
        self._zigbee2mqtt_areas: list[Area] = []
        self._discovered: dict[str, Device] = {}  # discovery config topic -> device
        self._lock = threading.Lock()
        self._current = base
        self._pending: Registry | None = None

    def set_zigbee2mqtt(self, devices: list[Device], areas: list[Area]) -> None:
        with self._lock:
            self._zigbee2mqtt, self._zigbee2mqtt_areas = list(devices), list(areas)
            self._rebuild()

    def set_discovered(self, config_topic: str, device: Device | None) -> None:
        with self._lock:
            if device is None:
                if self._discovered.pop(config_topic, None) is None:
                    return
            else:
                self._discovered[config_topic] = device
            self._rebuild()

    def take(self) -> Registry | None:
        """The merged registry if it changed since the last take, else None."""
        with self._lock:
            pending, self._pending = self._pending, None
            return pending

    def _rebuild(self) -> None:
        devices = list(self.base.devices)
        ids = {d.id for d in devices}
        topics = {d.command_topic for d in devices if d.command_topic}
        left_out = []
        for device in [*self._zigbee2mqtt, *self._discovered.values()]:
            if device.id in ids or (device.command_topic and device.command_topic in topics):
                left_out.append(device.id)
                continue
            devices.append(device)
            ids.add(device.id)
            if device.command_topic:
                topics.add(device.command_topic)
        named = {a.name for a in self.base.area_info}
        areas = list(self.base.area_info) + [a for a in self._zigbee2mqtt_areas if a.name not in named]
        merged = Registry(site=self.base.site, devices=devices, area_info=areas)
        if merged == self._current:
            return
        self._current = self._pending = merged
        log.info("registry.imported", devices=len(devices), from_file=len(self.base.devices),
                 zigbee2mqtt=len(self._zigbee2mqtt), discovery=len(self._discovered), left_out=left_out[:20])
