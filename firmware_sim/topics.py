"""Topic names from the device payload contract (docs/protocol.md), in one place.

A device's command topic is its registry `command_topic`; without one it is
`<z2m base>/<object_id>/set` for Zigbee2MQTT-style devices and
`<prefix>/<site>/device/<object_id>/set` for nanoiot-style ones. State,
availability and error topics hang off the command topic without `/set`.
"""

from __future__ import annotations

from nanoiot.registry import Device

Z2M_BASE = "zigbee2mqtt"
PREFIX = "nanoiot"


def default_command_topic(device: Device, site: str, z2m_base: str = Z2M_BASE, prefix: str = PREFIX) -> str:
    """The command topic a device gets when the registry names none."""
    if device.payload_style == "nanoiot":
        return f"{prefix}/{site}/device/{device.object_id}/set"
    return f"{z2m_base}/{device.object_id}/set"


def command_topic(device: Device, site: str, prefix: str = PREFIX) -> str:
    """Where actions for this device arrive (the registry's topic wins)."""
    return device.command_topic or default_command_topic(device, site, prefix=prefix)


def state_topic(device: Device, site: str, prefix: str = PREFIX) -> str:
    """Retained state, as Zigbee2MQTT publishes it: the command topic without `/set`."""
    topic = command_topic(device, site, prefix)
    return topic[: -len("/set")] if topic.endswith("/set") else topic


def availability_topic(device: Device, site: str, prefix: str = PREFIX) -> str:
    return f"{state_topic(device, site, prefix)}/availability"


def error_topic(device: Device, site: str, prefix: str = PREFIX) -> str:
    """Where a device reports a command it refused (not retained)."""
    return f"{state_topic(device, site, prefix)}/error"


def source_command_topic(site: str, source: str, prefix: str = PREFIX) -> str:
    """Where a panel or voice satellite publishes what a person said."""
    return f"{prefix}/{site}/command/{source}"


def source_result_topic(site: str, source: str, prefix: str = PREFIX) -> str:
    """Where the gateway answers a source."""
    return f"{prefix}/{site}/result/{source}"


def fleet_availability_topic(site: str, fleet_id: str, prefix: str = PREFIX) -> str:
    """The fleet connection's Last Will: offline here means every device of the fleet is gone."""
    return f"{prefix}/{site}/sim/{fleet_id}/availability"


def control_topic(site: str, prefix: str = PREFIX) -> str:
    """Test-bench control of the simulator (inject faults, reset), never used by the gateway."""
    return f"{prefix}/{site}/sim/control"


def diagnostic_topic(site: str, object_id: str, prefix: str = PREFIX) -> str:
    """Where a device publishes a fault report for the gateway to diagnose."""
    return f"{prefix}/{site}/diagnostic/{object_id}"


def diagnosis_topic(site: str, object_id: str, prefix: str = PREFIX) -> str:
    """Where the gateway publishes its diagnosis of a device's report."""
    return f"{prefix}/{site}/diagnosis/{object_id}"
