"""Every MQTT topic the gateway uses, derived in one place from the config and the registry.

The contract (docs/protocol.md): commands in on `<prefix>/<site>/command/<source>`,
results out on `<prefix>/<site>/result/<source>`, diagnostic reports in on
`<prefix>/<site>/diagnostic/<device>` and diagnoses out on `<prefix>/<site>/diagnosis/<device>`, availability on
`<prefix>/<site>/gateway/<gateway_id>/availability`, device commands on the registry's
`command_topic` (default `zigbee2mqtt/<object_id>/set` or `<prefix>/<site>/device/<object_id>/set`)
and device state on that topic without `/set`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from paho.mqtt.client import topic_matches_sub

from nanoiot.registry import Device

SOURCE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def valid_publish_topic(topic: str) -> bool:
    """A topic we may publish to: non-empty, no wildcards, no NUL, not a $SYS-style topic."""
    return bool(topic) and len(topic.encode("utf-8")) <= 1024 and not any(c in topic for c in "+#\0") and not topic.startswith("$")


@dataclass(frozen=True)
class Topics:
    prefix: str
    site: str
    gateway_id: str
    zigbee2mqtt_base: str = "zigbee2mqtt"
    shared_group: str | None = None
    reply_filters: tuple[str, ...] = ()

    @property
    def base(self) -> str:
        return f"{self.prefix}/{self.site}"

    @property
    def command_root(self) -> str:
        return f"{self.base}/command"

    @property
    def command_filter(self) -> str:
        """What we subscribe to. `#`, not `+`, so a command on a malformed topic is answered, not ignored."""
        topic = f"{self.command_root}/#"
        return f"$share/{self.shared_group}/{topic}" if self.shared_group else topic

    @property
    def diagnostic_root(self) -> str:
        return f"{self.base}/diagnostic"

    @property
    def diagnostic_filter(self) -> str:
        """Device diagnostic reports, one level per device, shared like commands when a group is set."""
        topic = f"{self.diagnostic_root}/+"
        return f"$share/{self.shared_group}/{topic}" if self.shared_group else topic

    def is_diagnostic_topic(self, topic: str) -> bool:
        return topic.startswith(self.diagnostic_root + "/")

    def diagnostic_device_of(self, topic: str) -> str | None:
        """The device (object id) a report topic names, or None when it is not a valid topic level."""
        name = topic[len(self.diagnostic_root) + 1:] if self.is_diagnostic_topic(topic) else ""
        return name if SOURCE.match(name) else None

    def diagnosis(self, device: str) -> str:
        return f"{self.base}/diagnosis/{device}"

    @property
    def availability(self) -> str:
        return f"{self.base}/gateway/{self.gateway_id}/availability"

    def result(self, source: str) -> str:
        return f"{self.base}/result/{source}"

    def source_of(self, topic: str) -> str | None:
        """The source named by a command topic, or None when the topic is outside the contract."""
        root = self.command_root + "/"
        if not topic.startswith(root):
            return None
        source = topic[len(root):]
        return source if SOURCE.match(source) else None

    def is_command_topic(self, topic: str) -> bool:
        return topic == self.command_root or topic.startswith(self.command_root + "/")

    def reply_allowed(self, topic: str) -> bool:
        """Only answer where senders are meant to read: a device must not steer results onto a lock's /set."""
        filters = self.reply_filters or (f"{self.base}/reply/#", f"{self.base}/result/#")
        return valid_publish_topic(topic) and any(topic_matches_sub(f, topic) for f in filters)

    def device_command(self, device: Device) -> str:
        if device.command_topic:
            return device.command_topic
        if device.payload_style == "zigbee2mqtt":
            return f"{self.zigbee2mqtt_base}/{device.object_id}/set"
        return f"{self.base}/device/{device.object_id}/set"

    def device_state(self, device: Device) -> str | None:
        """Zigbee2MQTT convention: state is retained on the command topic without `/set`.

        A device learnt from Home Assistant discovery says where its state is (`state_topic`).
        """
        if device.discovery and isinstance(device.discovery.get("state_topic"), str):
            return device.discovery["state_topic"]
        command = self.device_command(device)
        return command[: -len("/set")] if command.endswith("/set") else None
