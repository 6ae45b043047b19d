"""The fleet runner: many simulated devices behind one MQTT connection, and the registry they make.

Why one connection and not one per device: a thousand paho clients mean a
thousand sockets and a thousand network threads in one process. The fleet
instead subscribes to every device's command topic on one client and
dispatches by topic, like a Zigbee2MQTT bridge does for its radio network.

The trade-off is the Last Will: MQTT gives one will per connection, so it sits
on the fleet's availability topic (`<prefix>/<site>/sim/<fleet>/availability`,
like `zigbee2mqtt/bridge/state`). Per-device availability is published by the
fleet itself: online at start, offline on a clean stop or when a device is
taken offline on purpose. If the whole process dies, the per-device topics
keep saying online until the fleet returns; only the fleet topic's will says
otherwise, so a consumer that must notice a crash watches both.
"""

from __future__ import annotations

import itertools
import json
import random
import threading
import time
from pathlib import Path
from typing import Any, Iterable

import paho.mqtt.client as mqtt
import structlog
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from firmware_sim import topics, yamlio
from firmware_sim.connection import Connection
from firmware_sim.devices import SimDevice, make_device
from firmware_sim.faults import fault_report, random_fault
from firmware_sim.messages import ControlAck, ControlRequest, DeviceError
from firmware_sim.speakers import Source, Speaker
from nanoiot.contract import Availability, PayloadError
from nanoiot.registry import Area, Device, Registry

log = structlog.get_logger()

FLEETS_DIR = Path(__file__).parent / "fleets"


class FleetDevice(Device):
    """A registry device plus what only the simulator needs: its physics and its initial state."""

    sim: dict[str, Any] = Field(default_factory=dict, description="simulation parameters, e.g. travel_s")
    initial: dict[str, Any] = Field(default_factory=dict, description="state at start and after a reset")

    def registry_entry(self) -> Device:
        return Device.model_validate(self.model_dump(exclude={"sim", "initial"}))


class FleetFile(BaseModel):
    """A fleet file (YAML or JSON): the devices of a home or a plant, and the panels people speak to."""

    model_config = ConfigDict(extra="forbid")

    site: str = Field(default="home", pattern=r"^[a-z0-9_-]+$")
    description: str | None = None
    areas: list[Area] = Field(default_factory=list)  # area aliases and floors ("house": what the home's areas are)
    devices: list[FleetDevice]
    sources: list[Source] = Field(default_factory=list)


class FleetSpec(BaseModel):
    """What one fleet process runs: the merged fleet files, scaled to the requested size."""

    site: str
    areas: list[Area] = Field(default_factory=list)
    devices: list[FleetDevice]
    sources: list[Source] = Field(default_factory=list)

    def registry(self) -> Registry:
        return Registry(site=self.site, devices=[d.registry_entry() for d in self.devices], area_info=self.areas)

    def registry_json(self) -> dict[str, Any]:
        """The registry file for the gateway; `sources` says where each panel hangs (its area hint)."""
        registry = self.registry().model_dump(mode="json", exclude_none=True, exclude_defaults=True, exclude={"area_info"})
        registry["site"] = self.site
        if self.areas:
            registry["areas"] = [a.model_dump(mode="json", exclude_none=True, exclude_defaults=True) for a in self.areas]
        registry["sources"] = [s.model_dump(mode="json", exclude_none=True) for s in self.sources]
        return registry

    def write_registry(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.registry_json(), indent=2) + "\n", encoding="utf-8")
        return path


def fleet_path(name: str | Path) -> Path:
    """A shipped fleet by name (`home`, `plant`) or a path."""
    path = Path(name)
    if path.exists():
        return path
    shipped = FLEETS_DIR / f"{name}.yaml"
    if shipped.exists():
        return shipped
    raise FileNotFoundError(f"no fleet file {name!r} (shipped: {', '.join(p.stem for p in sorted(FLEETS_DIR.glob('*.yaml')))})")


def load_fleet(
    files: Iterable[str | Path],
    site: str | None = None,
    count: int | None = None,
    z2m_base: str = topics.Z2M_BASE,
) -> FleetSpec:
    """Merge fleet files and scale them to `count` devices.

    Beyond the files' own devices, copies are added as further "units" (ids
    `_u2`, `_u3`..., areas "unit 2 kitchen"), like flats in a block, so a
    thousand-device fleet keeps realistic proportions of device kinds. Devices
    on a Zigbee2MQTT base other than the default get explicit command topics,
    so the registry tells the gateway where they are.
    """
    parsed = [FleetFile.model_validate(yamlio.load(fleet_path(f))) for f in files]
    if not parsed:
        raise ValueError("no fleet file given")
    site = site or parsed[0].site
    base = [d for f in parsed for d in f.devices]
    sources = [s for f in parsed for s in f.sources]
    areas = [a for f in parsed for a in f.areas]
    devices = list(base) if count is None else base[:count]
    for unit in itertools.count(2):
        if count is None or len(devices) >= count:
            break
        for device in base[: count - len(devices)]:
            devices.append(_unit_copy(device, unit))
    if z2m_base != topics.Z2M_BASE:
        devices = [_rebased(d, site, z2m_base) for d in devices]
    spec = FleetSpec(site=site, areas=areas, devices=devices, sources=sources)
    spec.registry()  # duplicate ids fail here, before anything connects
    return spec


def _unit_copy(device: FleetDevice, unit: int) -> FleetDevice:
    object_id = f"{device.object_id}_u{unit}"
    topic = device.command_topic.replace(device.object_id, object_id) if device.command_topic else None
    return device.model_copy(update={
        "id": f"{device.domain}.{object_id}", "area": f"unit {unit} {device.area}" if device.area else f"unit {unit}",
        "aliases": [], "command_topic": topic,
    })


def _rebased(device: FleetDevice, site: str, z2m_base: str) -> FleetDevice:
    if device.command_topic or device.payload_style != "zigbee2mqtt":
        return device
    return device.model_copy(update={"command_topic": topics.default_command_topic(device, site, z2m_base)})


class Fleet:
    """Runs a FleetSpec on a broker: dispatches commands, ticks time, answers the control topic."""

    def __init__(
        self,
        spec: FleetSpec,
        host: str,
        port: int,
        fleet_id: str = "fleet",
        prefix: str = topics.PREFIX,
        tick_s: float = 0.05,
        telemetry_s: float = 5.0,
        fault_rate: float = 0.0,
        seed: int | None = None,
    ) -> None:
        self.spec = spec
        self.site = spec.site
        self.fleet_id = fleet_id
        self.prefix = prefix
        self.tick_s = tick_s
        self.telemetry_s = telemetry_s
        self.fault_rate = fault_rate  # random faults per minute across the fleet's machines
        self.rng = random.Random(seed)
        self.faults_injected = 0
        self.devices: dict[str, SimDevice] = {d.id: make_device(d, d.sim, d.initial) for d in spec.devices}
        self._by_topic = {topics.command_topic(d.spec, self.site, prefix): d for d in self.devices.values()}
        self.speakers = {s.id: Speaker(s, self.site, prefix) for s in spec.sources}
        self._results = {sp.result_topic: sp for sp in self.speakers.values()}
        self.control_topic = topics.control_topic(self.site, prefix)
        self.availability_topic = topics.fleet_availability_topic(self.site, fleet_id, prefix)
        self._lock = threading.RLock()
        self._active: set[str] = set()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None
        self.commands_handled = 0
        self.commands_refused = 0
        self.heard: dict[str, dict[str, Any]] = {}  # source id -> the gateway's last answer to that panel
        self.connection = Connection(
            f"firmware-sim-{self.site}-{fleet_id}", host, port, self._on_message,
            topics=[*self._by_topic, self.control_topic, *self._results],
            on_ready=self._announce,
            will=(self.availability_topic, Availability(state="offline").model_dump_json()),
        )

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self, timeout: float = 15.0) -> "Fleet":
        """Connect, subscribe to every command topic, publish every device's state and availability."""
        self.connection.connect(timeout)
        self._ticker = threading.Thread(target=self._tick_loop, name=f"fleet-{self.fleet_id}-ticker", daemon=True)
        self._ticker.start()
        log.info("fleet.started", site=self.site, fleet=self.fleet_id, devices=len(self.devices),
                 broker=f"{self.connection.host}:{self.connection.port}")
        return self

    def _announce(self) -> None:
        """After each (re)connect: every device's state, then online, then the fleet itself online."""
        with self._lock:
            for device in self.devices.values():
                self._publish_state(device)
                self._publish_availability(device)
        self.connection.publish(self.availability_topic, Availability(state="online").model_dump_json(), retain=True)

    def stop(self, timeout: float = 10.0) -> None:
        """Publish every device offline and disconnect cleanly (so the Last Will is not sent)."""
        self._stop.set()
        if self._ticker:
            self._ticker.join(timeout)
        if self.connection.connected:
            with self._lock:
                for device in self.devices.values():
                    self.connection.publish(self._availability(device), Availability(state="offline").model_dump_json(), retain=True)
            last = self.connection.publish(self.availability_topic, Availability(state="offline").model_dump_json(), retain=True)
            try:
                last.wait_for_publish(timeout)
            except (RuntimeError, ValueError):
                log.warning("fleet.offline_not_confirmed", fleet=self.fleet_id)
        self.connection.close()
        log.info("fleet.stopped", fleet=self.fleet_id, handled=self.commands_handled, refused=self.commands_refused)

    def __enter__(self) -> "Fleet":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- publishing ---------------------------------------------------------------------------

    def _availability(self, device: SimDevice) -> str:
        return topics.availability_topic(device.spec, self.site, self.prefix)

    def _publish_state(self, device: SimDevice) -> mqtt.MQTTMessageInfo:
        return self.connection.publish(
            topics.state_topic(device.spec, self.site, self.prefix), json.dumps(device.state), retain=True)

    def _publish_availability(self, device: SimDevice) -> None:
        state = "online" if device.available else "offline"
        self.connection.publish(self._availability(device), Availability(state=state).model_dump_json(), retain=True)

    def _publish_error(self, device: SimDevice, error: PayloadError, command_id: str | None) -> None:
        event = DeviceError(device=device.id, code=error.code, message=error.message, command_id=command_id)
        self.connection.publish(topics.error_topic(device.spec, self.site, self.prefix), event.model_dump_json())

    # -- incoming -----------------------------------------------------------------------------

    def _on_message(self, message: mqtt.MQTTMessage) -> None:
        device = self._by_topic.get(message.topic)
        if device is not None:
            self._command(device, message.payload)
        elif message.topic == self.control_topic:
            self._control(message.payload)
        elif message.topic in self._results:
            self._panel_result(self._results[message.topic], message.payload)

    def _command(self, device: SimDevice, raw: bytes) -> None:
        if not device.available:
            log.info("device.offline_ignored", device=device.id)
            return
        command_id = None
        try:
            payload = json.loads(raw)
            if isinstance(payload, dict) and isinstance(payload.get("id"), str):
                command_id = payload["id"]
            with self._lock:
                device.handle(payload, time.monotonic())
                self._publish_state(device)
                if device.busy:
                    self._active.add(device.id)
            self.commands_handled += 1
            log.info("device.command", device=device.id, command_id=command_id, state=device.state)
        except (json.JSONDecodeError, UnicodeDecodeError):
            self._refuse(device, PayloadError(code="bad_payload", message="the payload is not JSON"), None)
        except PayloadError as exc:
            self._refuse(device, exc, command_id)

    def _refuse(self, device: SimDevice, error: PayloadError, command_id: str | None) -> None:
        self.commands_refused += 1
        log.info("device.command_refused", device=device.id, code=error.code, reason=error.message, command_id=command_id)
        self._publish_error(device, error, command_id)

    def _control(self, raw: bytes) -> None:
        try:
            request = ControlRequest.model_validate_json(raw)
        except ValidationError as exc:
            log.warning("fleet.bad_control", error=str(exc.errors()[0]["msg"]))
            return
        handled, error = self.control(request)
        if handled:
            ack = ControlAck(id=request.id, fleet=self.fleet_id, handled=True, error=error)
            self.connection.publish(f"{self.control_topic}/ack", ack.model_dump_json())

    def control(self, request: ControlRequest) -> tuple[bool, str | None]:
        """Apply one control request; return (handled by this fleet, error message)."""
        if request.reset:
            with self._lock:
                self._active.clear()
                for device in self.devices.values():
                    device.reset()
                    self._publish_state(device)
                    self._publish_availability(device)
            log.info("fleet.reset", fleet=self.fleet_id)
            return True, None
        if request.say is not None:
            speaker = self.speakers.get(request.source or "")
            if speaker is None:
                return False, None
            self.say(speaker.source.id, request.say)
            return True, None
        device = self.devices.get(request.device or "")
        if device is None:
            return False, None
        try:
            with self._lock:
                if request.fault is not None:
                    self.inject(device, request.fault, request.severity or "critical")
                if request.set is not None:
                    device.force(request.set)
                if request.available is not None:
                    device.available = request.available
                    self._publish_availability(device)
                self._publish_state(device)
        except PayloadError as exc:
            return True, exc.message
        log.info("fleet.control", device=device.id, fault=request.fault, set=request.set, available=request.available)
        return True, None

    def inject(self, device: SimDevice, fault: str, severity: str = "critical") -> None:
        """Inject a fault; the device shows its readings and publishes a diagnostic report (QoS 1).

        Raises PayloadError when the device has no such fault. Call with the lock held.
        """
        device.inject_fault(fault)
        self.faults_injected += 1
        report = fault_report(device, fault, severity, seed=self.rng.randrange(2**31))
        if report is None:
            log.info("device.fault", device=device.id, fault=fault, report=False)
            return
        device.fault_reading(report.telemetry)
        self._publish_state(device)
        topic = topics.diagnostic_topic(self.site, device.spec.object_id, self.prefix)
        self.connection.publish(topic, report.model_dump_json(exclude_none=True), qos=1)
        log.info("device.fault", device=device.id, fault=fault, severity=severity, report_id=report.id, topic=topic)

    def _random_faults(self, dt: float) -> None:
        """Poisson arrivals at `fault_rate` per minute: each tick injects with probability rate * dt."""
        if self.fault_rate <= 0 or self.rng.random() >= self.fault_rate * dt / 60.0:
            return
        picked = random_fault(self.rng, list(self.devices.values()))
        if picked is None:
            return
        device, fault, severity = picked
        try:
            self.inject(device, fault, severity)
        except PayloadError as exc:
            log.warning("fleet.random_fault_refused", device=device.id, fault=fault, reason=exc.message)
        else:
            self._publish_state(device)

    # -- panels -------------------------------------------------------------------------------

    def say(self, source_id: str, text: str) -> str:
        """A panel publishes what a person said; the answer is logged when it comes."""
        speaker = self.speakers[source_id]
        request = speaker.request(text)
        self.connection.publish(speaker.command_topic, request.model_dump_json(exclude_none=True))
        log.info("panel.said", source=source_id, text=text, command_id=request.id)
        return request.id or ""

    def _panel_result(self, speaker: Speaker, raw: bytes) -> None:
        try:
            result = json.loads(raw)
        except json.JSONDecodeError:
            log.warning("panel.bad_result", source=speaker.source.id)
            return
        if isinstance(result, dict):
            self.heard[speaker.source.id] = result
            log.info("panel.result", source=speaker.source.id, command_id=result.get("id"),
                     status=result.get("status"), actions=result.get("actions"))

    # -- time ---------------------------------------------------------------------------------

    def _tick_loop(self) -> None:
        next_telemetry = time.monotonic() + self.telemetry_s
        last = time.monotonic()
        while not self._stop.wait(self.tick_s):
            now = time.monotonic()
            with self._lock:
                self._random_faults(now - last)
                last = now
                for device_id in list(self._active):
                    device = self.devices[device_id]
                    if device.tick(now):
                        self._publish_state(device)
                    if not device.busy:
                        self._active.discard(device_id)
                if self.telemetry_s > 0 and now >= next_telemetry:
                    next_telemetry = now + self.telemetry_s
                    for device in self.devices.values():
                        if device.id not in self._active and device.available and device.tick(now):
                            self._publish_state(device)
                        if device.busy:
                            self._active.add(device.id)
