"""Device state machines, one class per kind of device, with no MQTT in them.

Each device takes a command payload the way its firmware would: Zigbee2MQTT
style attributes (`{"state": "ON", "brightness": 76}`), decoded here, or the
nanoiot action envelope (`{"id": "c1", "service": "machine.set_speed", "data":
{"speed_pct": 40}}`), turned into those attributes by the contract's table
(nanoiot.contract, which the gateway encodes with) or, for machines and valves,
which Zigbee2MQTT has no form for, by the device's own `ACTIONS`. A payload is
validated whole before anything changes, so a refused command leaves the state
as it was and raises `PayloadError` (the fleet publishes it as an error event).
Time-driven behaviour (covers moving, thermostats drifting, machine telemetry,
a vacuum driving home) happens in `tick(now)`, with `now` passed in so tests
control the clock.
"""

from __future__ import annotations

import copy
import random
import re
from collections import deque
from typing import Any, Callable, ClassVar

from pydantic import ValidationError

from nanoiot.contract import DeviceCommand, PayloadError, zigbee2mqtt_fields
from nanoiot.registry import Device

__all__ = ["DEVICE_CLASSES", "PayloadError", "SimDevice", "make_device"]

HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _number(payload: dict[str, Any], key: str, low: float, high: float, integer: bool = True) -> float:
    value = payload[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PayloadError(code="bad_payload", message=f"{key} must be a number, got {value!r}")
    if integer and float(value) != int(value):
        raise PayloadError(code="bad_payload", message=f"{key} must be a whole number, got {value!r}")
    if not low <= value <= high:
        raise PayloadError(code="out_of_range", message=f"{key} must be between {low:g} and {high:g}, got {value:g}")
    return int(value) if integer else float(value)


def _choice(payload: dict[str, Any], key: str, options: tuple[str, ...], upper: bool = True) -> str:
    value = payload[key]
    if not isinstance(value, str):
        raise PayloadError(code="bad_payload", message=f"{key} must be a string, got {value!r}")
    value = value.upper() if upper else value.lower()
    if value not in options:
        raise PayloadError(code="out_of_range", message=f"{key} must be one of {', '.join(options)}, got {payload[key]!r}")
    return value


def _only(payload: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(payload) - allowed)
    if unknown:
        raise PayloadError(code="unsupported", message=f"no such attribute: {', '.join(unknown)}")
    if not payload:
        raise PayloadError(code="bad_payload", message="empty command")


class SimDevice:
    """One simulated device: validated commands in, a JSON-ready state dict out."""

    domain: ClassVar[str] = ""
    #: action service -> function(data) building the native payload, for services Zigbee2MQTT has no form for
    ACTIONS: ClassVar[dict[str, Callable[[dict[str, Any]], dict[str, Any]]]] = {}

    def __init__(self, spec: Device, sim: dict[str, Any] | None = None, initial: dict[str, Any] | None = None) -> None:
        self.spec = spec
        self.sim = dict(sim or {})
        self.initial = dict(initial or {})
        self.rng = random.Random(spec.id)
        self.available = True
        self.state: dict[str, Any] = {}
        self._last_tick: float | None = None
        self._executed: deque[str] = deque(maxlen=64)  # recent command ids, as firmware would keep them
        self.reset()

    @property
    def id(self) -> str:
        return self.spec.id

    def has(self, capability: str) -> bool:
        """No capabilities listed means a full-featured device of its kind."""
        return not self.spec.capabilities or capability in self.spec.capabilities

    def default_state(self) -> dict[str, Any]:
        raise NotImplementedError

    def reset(self) -> None:
        """Back to the fleet file's initial state (the scenario runner starts from here)."""
        self.state = self.default_state()
        self.state.update(copy.deepcopy(self.initial))
        self.fault: str | None = None
        self.available = True
        self._last_tick = None

    def snapshot(self) -> dict[str, Any]:
        return copy.deepcopy(self.state)

    # -- commands -----------------------------------------------------------------------------

    def handle(self, payload: Any, now: float) -> str | None:
        """Apply one command payload; return the command id (nanoiot envelopes) or raise PayloadError."""
        if not isinstance(payload, dict):
            raise PayloadError(code="bad_payload", message="the payload must be a JSON object")
        if self.spec.payload_style == "nanoiot":
            try:
                command = DeviceCommand.model_validate(payload)
            except ValidationError as exc:
                raise PayloadError(code="bad_payload", message=f"not an action: {exc.errors()[0]['msg']}") from None
            if command.targets and self.id not in command.targets:
                raise PayloadError(code="wrong_target", message=f"action is for {', '.join(command.targets)}, not {self.id}")
            if command.id in self._executed:
                return command.id  # a QoS 1 repeat of a command already executed: don't do it twice
            self.apply_action(command.service, command.data, now)
            self._executed.append(command.id)
            return command.id
        self.apply_native(payload, now)
        return None

    def apply_action(self, service: str, data: dict[str, Any], now: float) -> None:
        """A nanoiot action envelope: translate to the native payload, then apply it."""
        if service.split(".", 1)[0] != self.domain:
            raise PayloadError(code="unsupported", message=f"{self.id} does not do {service}")
        build = self.ACTIONS.get(service) or (lambda d: zigbee2mqtt_fields(service, d))
        try:
            native = build(data)
        except PayloadError as exc:
            if exc.code != PayloadError.code:
                raise
            raise PayloadError(code="unsupported", message=f"{self.id} does not do {service}") from None  # no form for it
        except KeyError as exc:
            raise PayloadError(code="bad_payload", message=f"{service} needs {exc.args[0]}") from None
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise PayloadError(code="bad_payload", message=f"{service}: {exc}") from None
        self.apply_native(native, now)

    def apply_native(self, payload: dict[str, Any], now: float) -> None:
        raise NotImplementedError

    def inject_fault(self, fault: str) -> None:
        raise PayloadError(code="unsupported", message=f"{self.id} has no faults to inject")

    def fault_reading(self, telemetry: dict[str, Any]) -> None:
        """Make the state show a fault report's readings (the keys this device reports; others are ignored)."""
        self.state.update({k: v for k, v in telemetry.items() if k in self.state and k != "state"})

    def force(self, values: dict[str, Any]) -> None:
        """Overwrite state keys from the test bench (e.g. a room that got cold)."""
        self.state.update(copy.deepcopy(values))

    # -- time ---------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """True while the state changes by itself and should be ticked often (a moving cover)."""
        return False

    def tick(self, now: float) -> bool:
        """Advance time-driven state to `now`; return True when there is something new to publish."""
        last, self._last_tick = self._last_tick, now
        if last is None or now <= last:
            return False
        return self.advance(now - last, now)

    def advance(self, dt: float, now: float) -> bool:
        return False


class Light(SimDevice):
    """A Zigbee bulb: ON/OFF, brightness 0-254, colour as hex, colour temperature in mireds."""

    domain = "light"
    MIN_MIREDS, MAX_MIREDS = 153, 500  # what the bulb can do; requests outside are clamped, as Zigbee2MQTT does

    def default_state(self) -> dict[str, Any]:
        state: dict[str, Any] = {"state": "OFF"}
        if self.has("brightness"):
            state["brightness"] = 254
        if self.has("color_temp"):
            state["color_temp"] = 370
            state["color_mode"] = "color_temp"
        if self.has("color"):
            state["color"] = {"hex": "#ffffff"}
        return state

    def apply_native(self, payload: dict[str, Any], now: float) -> None:
        _only(payload, {"state", "brightness", "brightness_step", "color", "color_temp", "transition"})
        new = copy.deepcopy(self.state)
        if "transition" in payload:
            _number(payload, "transition", 0, 600, integer=False)
        if "state" in payload:
            wanted = _choice(payload, "state", ("ON", "OFF", "TOGGLE"))
            new["state"] = {"TOGGLE": "OFF" if new["state"] == "ON" else "ON"}.get(wanted, wanted)
        for key in ("brightness", "brightness_step"):
            if key in payload and not self.has("brightness"):
                raise PayloadError(code="unsupported", message=f"{self.id} is not dimmable")
        if "brightness" in payload:
            brightness = _number(payload, "brightness", 0, 254)
            if brightness == 0:
                new["state"] = "OFF"
            else:
                new["state"], new["brightness"] = "ON", brightness
        if "brightness_step" in payload:
            step = _number(payload, "brightness_step", -254, 254)
            base = new["brightness"] if new["state"] == "ON" else 0
            level = min(254, base + step)
            if level <= 0:
                new["state"] = "OFF"
            else:
                new["state"], new["brightness"] = "ON", level
        if "color" in payload:
            if not self.has("color"):
                raise PayloadError(code="unsupported", message=f"{self.id} has no colour")
            color = payload["color"]
            if not isinstance(color, dict) or set(color) != {"hex"} or not HEX_COLOR.match(str(color["hex"])):
                raise PayloadError(code="bad_payload", message=f'color must be {{"hex": "#rrggbb"}}, got {color!r}')
            new["color"] = {"hex": color["hex"].lower()}
            new["color_mode"] = "xy"
        if "color_temp" in payload:
            if not self.has("color_temp"):
                raise PayloadError(code="unsupported", message=f"{self.id} has no colour temperature")
            mireds = _number(payload, "color_temp", 50, 1000)
            new["color_temp"] = max(self.MIN_MIREDS, min(self.MAX_MIREDS, mireds))
            new["color_mode"] = "color_temp"
        self.state = new


class Switch(SimDevice):
    """A relay or smart plug; plugs report the power drawn while on."""

    domain = "switch"

    def default_state(self) -> dict[str, Any]:
        state: dict[str, Any] = {"state": "OFF"}
        if "load_w" in self.sim:
            state["power"] = 0.0
        return state

    def apply_native(self, payload: dict[str, Any], now: float) -> None:
        _only(payload, {"state"})
        wanted = _choice(payload, "state", ("ON", "OFF", "TOGGLE"))
        on = {"TOGGLE": self.state["state"] != "ON"}.get(wanted, wanted == "ON")
        self.state["state"] = "ON" if on else "OFF"
        if "power" in self.state:
            self.state["power"] = float(self.sim["load_w"]) if on else 0.0


class Climate(SimDevice):
    """A thermostat: setpoint 5-35 °C in half degrees, a mode, and a room temperature that drifts."""

    domain = "climate"

    def default_state(self) -> dict[str, Any]:
        return {"current_heating_setpoint": 20.0, "system_mode": "heat",
                "local_temperature": float(self.sim.get("ambient_c", 18.0)), "running_state": "idle"}

    @property
    def modes(self) -> tuple[str, ...]:
        return tuple(self.sim.get("modes", ("heat", "cool", "auto", "off")))

    def apply_native(self, payload: dict[str, Any], now: float) -> None:
        _only(payload, {"current_heating_setpoint", "system_mode"})
        new = dict(self.state)
        if "current_heating_setpoint" in payload:
            setpoint = _number(payload, "current_heating_setpoint", 5, 35, integer=False)
            new["current_heating_setpoint"] = round(setpoint * 2) / 2
        if "system_mode" in payload:
            new["system_mode"] = _choice(payload, "system_mode", self.modes, upper=False)
        new["running_state"] = self._running(new)
        self.state = new

    def _running(self, state: dict[str, Any]) -> str:
        mode, local, target = state["system_mode"], state["local_temperature"], state["current_heating_setpoint"]
        if mode in ("heat", "auto") and local < target - 0.2:
            return "heat"
        if mode in ("cool", "auto") and local > target + 0.2:
            return "cool"
        return "idle"

    def advance(self, dt: float, now: float) -> bool:
        running = self._running(self.state)
        goal = self.state["current_heating_setpoint"] if running != "idle" else float(self.sim.get("ambient_c", 18.0))
        local = self.state["local_temperature"]
        rate = float(self.sim.get("drift_c_per_s", 0.02)) * dt
        local = goal if abs(goal - local) <= rate else local + rate * (1 if goal > local else -1)
        before = (self.state["local_temperature"], self.state["running_state"])
        self.state["local_temperature"] = round(local, 1)
        self.state["running_state"] = self._running(self.state)
        return before != (self.state["local_temperature"], self.state["running_state"])


class Lock(SimDevice):
    """A door lock; a jammed lock refuses commands until it is cleared (reset)."""

    domain = "lock"

    def default_state(self) -> dict[str, Any]:
        return {"state": "LOCKED", "lock_state": "locked"}

    def apply_native(self, payload: dict[str, Any], now: float) -> None:
        _only(payload, {"state"})
        wanted = _choice(payload, "state", ("LOCK", "UNLOCK"))
        if self.fault:
            raise PayloadError(code="in_fault", message=f"{self.id} is {self.fault}")
        self.state = {"state": f"{wanted}ED", "lock_state": f"{wanted.lower()}ed"}

    def inject_fault(self, fault: str) -> None:
        self.fault = fault
        self.state = {**self.state, "lock_state": "not_fully_locked"}


class Cover(SimDevice):
    """Blinds, curtains, a garage door: the position moves over `travel_s` seconds for a full run.

    While moving the state is opening/closing and the position is reported every
    `report_s`; at the end it is open (any position above 0) or closed, or
    stopped after a STOP.
    """

    domain = "cover"

    def default_state(self) -> dict[str, Any]:
        return {"state": "closed", "position": 0}

    def reset(self) -> None:
        super().reset()
        self.target: float | None = None
        self.exact = float(self.state["position"])
        self.reported_at = 0.0

    def apply_native(self, payload: dict[str, Any], now: float) -> None:
        _only(payload, {"state", "position"})
        if len(payload) > 1:
            raise PayloadError(code="bad_payload", message="send either state or position, not both")
        if "position" in payload:
            if not self.has("position"):
                raise PayloadError(code="unsupported", message=f"{self.id} only opens and closes")
            target: float | None = _number(payload, "position", 0, 100)
        else:
            command = _choice(payload, "state", ("OPEN", "CLOSE", "STOP"))
            target = {"OPEN": 100, "CLOSE": 0}.get(command)
        self._last_tick = self.reported_at = now
        if target is None:  # STOP where it is
            self.target = None
            self.state = {"state": "stopped", "position": int(round(self.exact))}
            return
        self.target = float(target)
        self._settle()

    def _settle(self) -> None:
        """State from position and target: moving, or arrived."""
        if self.target is not None and abs(self.target - self.exact) > 1e-9:
            self.state = {"state": "opening" if self.target > self.exact else "closing", "position": int(round(self.exact))}
            return
        self.target = None
        position = int(round(self.exact))
        self.state = {"state": "closed" if position <= 0 else "open", "position": position}

    def force(self, values: dict[str, Any]) -> None:
        super().force(values)
        self.target, self.exact = None, float(self.state["position"])

    @property
    def busy(self) -> bool:
        return self.target is not None

    def advance(self, dt: float, now: float) -> bool:
        if self.target is None:
            return False
        step = 100.0 / float(self.sim.get("travel_s", 2.0)) * dt
        if abs(self.target - self.exact) <= step:
            self.exact = self.target
        else:
            self.exact += step if self.target > self.exact else -step
        self._settle()
        if self.target is None or now - self.reported_at >= float(self.sim.get("report_s", 0.25)):
            self.reported_at = now
            return True
        return False


class Fan(SimDevice):
    """A fan with a speed in percent; 0 % is off, on restores the last speed."""

    domain = "fan"

    def default_state(self) -> dict[str, Any]:
        return {"state": "OFF", "percentage": 50}

    def apply_native(self, payload: dict[str, Any], now: float) -> None:
        _only(payload, {"state", "percentage"})
        new = dict(self.state)
        if "state" in payload:
            wanted = _choice(payload, "state", ("ON", "OFF", "TOGGLE"))
            new["state"] = {"TOGGLE": "OFF" if new["state"] == "ON" else "ON"}.get(wanted, wanted)
        if "percentage" in payload:
            percentage = _number(payload, "percentage", 0, 100)
            if percentage == 0:
                new["state"] = "OFF"
            else:
                new["percentage"] = percentage
        self.state = new


class Vacuum(SimDevice):
    """A robot vacuum: cleans until told otherwise or the battery runs low, drives home, charges."""

    domain = "vacuum"

    def default_state(self) -> dict[str, Any]:
        return {"state": "docked", "battery": 100}

    def reset(self) -> None:
        super().reset()
        self.battery = float(self.state["battery"])
        self.home_at: float | None = None

    def apply_native(self, payload: dict[str, Any], now: float) -> None:
        _only(payload, {"command"})
        command = _choice(payload, "command", ("start", "stop", "pause", "return_to_base"), upper=False)
        self._last_tick = now
        if command == "start":
            if self.battery < 15:
                raise PayloadError(code="low_battery", message=f"battery at {self.battery:.0f} %, charge first")
            self.state["state"], self.home_at = "cleaning", None
        elif command in ("stop", "pause"):
            self.state["state"], self.home_at = ("idle" if command == "stop" else "paused"), None
        elif self.state["state"] != "docked":
            self.state["state"] = "returning"
            self.home_at = now + float(self.sim.get("return_s", 1.0))

    def force(self, values: dict[str, Any]) -> None:
        super().force(values)
        self.battery = float(self.state["battery"])

    @property
    def busy(self) -> bool:
        return self.state["state"] == "returning"

    def advance(self, dt: float, now: float) -> bool:
        before = dict(self.state)
        if self.state["state"] == "cleaning":
            self.battery = max(0.0, self.battery - float(self.sim.get("drain_pct_per_s", 0.05)) * dt)
            if self.battery < 15:
                self.state["state"] = "returning"
                self.home_at = now + float(self.sim.get("return_s", 1.0))
        elif self.state["state"] == "returning" and self.home_at is not None and now >= self.home_at:
            self.state["state"], self.home_at = "docked", None
        elif self.state["state"] == "docked":
            self.battery = min(100.0, self.battery + float(self.sim.get("charge_pct_per_s", 0.5)) * dt)
        self.state["battery"] = int(self.battery)
        return self.state != before


class Valve(SimDevice):
    """A motorised valve, 0 % closed to 100 % open; `min_open_pct` > 0 refuses throttling below it."""

    domain = "valve"
    ACTIONS = {
        "valve.open_valve": lambda d: {"state": "OPEN"},
        "valve.close_valve": lambda d: {"state": "CLOSE"},
        "valve.set_valve_position": lambda d: {"position": d["position"]},
    }

    def default_state(self) -> dict[str, Any]:
        return {"state": "closed", "position": 0}

    def apply_native(self, payload: dict[str, Any], now: float) -> None:
        _only(payload, {"state", "position"})
        if "position" in payload:
            position = _number(payload, "position", 0, 100)
            minimum = int(self.sim.get("min_open_pct", 0))
            if 0 < position < minimum:
                raise PayloadError(code="out_of_range", message=f"{self.id} cannot throttle below {minimum} %")
        else:
            position = 100 if _choice(payload, "state", ("OPEN", "CLOSE")) == "OPEN" else 0
        self.state = {"state": "open" if position > 0 else "closed", "position": position}


# Telemetry per machine kind: rated current (A), temperature rise at full load (°C), vibration at full speed (mm/s).
MACHINE_KINDS: dict[str, tuple[float, float, float]] = {
    "pump": (7.5, 25.0, 2.8), "conveyor": (4.0, 15.0, 1.8), "compressor": (15.0, 40.0, 4.5),
    "mixer": (11.0, 30.0, 3.5), "motor": (5.0, 20.0, 2.2),
}


# Faults a drive keeps running with until someone stops it; any other fault code trips it (state fault).
CONDITION_FAULTS = frozenset({"overtemperature", "bearing_wear", "dry_run", "blockage", "leak", "filter_clogged",
                              "short_cycling", "sensor_failure"})


class Machine(SimDevice):
    """An industrial drive (pump, conveyor, compressor, mixer, motor) behind a PLC.

    Stopped -> running on start, speed 0-100 % (within the drive's `speed_range`),
    a fault latches until `reset_fault`; telemetry follows the load.
    """

    domain = "machine"
    ACTIONS = {
        "machine.start": lambda d: {"command": "start"},
        "machine.stop": lambda d: {"command": "stop"},
        "machine.set_speed": lambda d: {"speed_pct": d["speed_pct"]},
        "machine.reset_fault": lambda d: {"command": "reset"},
    }

    def default_state(self) -> dict[str, Any]:
        return {"state": "stopped", "speed_pct": 50, "current_a": 0.0,
                "temperature_c": float(self.sim.get("ambient_c", 25.0)), "vibration_mm_s": 0.0, "fault": None}

    @property
    def rating(self) -> tuple[float, float, float]:
        return MACHINE_KINDS.get(self.spec.kind or "motor", MACHINE_KINDS["motor"])

    def apply_native(self, payload: dict[str, Any], now: float) -> None:
        _only(payload, {"command", "speed_pct"})
        new = dict(self.state)
        if "speed_pct" in payload:
            low, high = self.sim.get("speed_range", (0, 100))
            speed = _number(payload, "speed_pct", 0, 100)
            if speed and not low <= speed <= high:
                raise PayloadError(code="out_of_range", message=f"{self.id} runs between {low} and {high} %, got {speed}")
            if speed == 0:
                new["state"] = "stopped" if new["state"] == "running" else new["state"]
            else:
                new["speed_pct"] = speed
        if "command" in payload:
            command = _choice(payload, "command", ("start", "stop", "reset"), upper=False)
            if command == "start":
                if new["state"] == "fault":
                    raise PayloadError(code="in_fault", message=f"{self.id} has fault {new['fault']}: reset it first")
                new["state"] = "running"
            elif command == "stop":
                new["state"] = "stopped" if new["state"] != "fault" else "fault"
            elif new["state"] == "fault":
                new["state"], new["fault"] = "stopped", None
            else:
                new["fault"] = None
            if command == "reset":
                self.readings = {}
        self.state = new
        self._telemetry(0.0)

    def reset(self) -> None:
        super().reset()
        self.readings: dict[str, float] = {}  # a fault condition's readings, held until reset_fault

    def inject_fault(self, fault: str) -> None:
        """Trip the drive (state fault, latched), or for a condition it runs on with, only flag it.

        A condition (overheating, a worn bearing, a dry pump...) leaves the machine in its
        state, so a stop from an operator or the gateway's policy still stops it.
        """
        if fault in CONDITION_FAULTS:
            self.state = {**self.state, "fault": fault}
        else:
            self.state = {**self.state, "state": "fault", "fault": fault}
        self._telemetry(0.0)

    def fault_reading(self, telemetry: dict[str, Any]) -> None:
        self.readings = {k: float(v) for k, v in telemetry.items()
                         if k in ("current_a", "temperature_c", "vibration_mm_s") and isinstance(v, (int, float))}
        self._telemetry(0.0)

    def _telemetry(self, dt: float) -> None:
        rated_a, rise, vibration = self.rating
        load = self.state["speed_pct"] / 100 if self.state["state"] == "running" else 0.0
        noise = self.rng.uniform(-0.03, 0.03)
        self.state["current_a"] = round(rated_a * (0.25 + 0.75 * load) * (1 + noise), 2) if load else 0.0
        self.state["vibration_mm_s"] = round(vibration * (0.3 + 0.7 * load) * (1 + noise), 2) if load else 0.0
        ambient = float(self.sim.get("ambient_c", 25.0))
        goal = ambient + rise * load
        # first-order thermal lag with a 60 s time constant
        temperature = self.state["temperature_c"] + (goal - self.state["temperature_c"]) * min(1.0, dt / 60.0)
        self.state["temperature_c"] = round(temperature, 1)
        if self.state["fault"] is not None and self.readings:
            # the fault's readings persist: a hot winding stays hot, a worn bearing shakes while it turns
            if "temperature_c" in self.readings:
                self.state["temperature_c"] = max(self.state["temperature_c"], self.readings["temperature_c"])
            for key in ("current_a", "vibration_mm_s"):
                if key in self.readings and load:
                    self.state[key] = self.readings[key]

    def advance(self, dt: float, now: float) -> bool:
        before = dict(self.state)
        self._telemetry(dt)
        return (abs(before["temperature_c"] - self.state["temperature_c"]) >= 0.5
                or abs(before["current_a"] - self.state["current_a"]) >= 0.2
                or abs(before["vibration_mm_s"] - self.state["vibration_mm_s"]) >= 0.2)


class Sensor(SimDevice):
    """A read-only sensor that reports readings it is configured with; it refuses every command."""

    domain = "sensor"

    def default_state(self) -> dict[str, Any]:
        return dict(self.sim.get("readings", {"temperature": 21.0}))

    def apply_native(self, payload: dict[str, Any], now: float) -> None:
        raise PayloadError(code="unsupported", message=f"{self.id} is a sensor and takes no commands")


DEVICE_CLASSES: dict[str, type[SimDevice]] = {
    cls.domain: cls for cls in (Light, Switch, Climate, Lock, Cover, Fan, Vacuum, Valve, Machine, Sensor)
}


def make_device(spec: Device, sim: dict[str, Any] | None = None, initial: dict[str, Any] | None = None) -> SimDevice:
    """The state machine for a registry device's domain."""
    return DEVICE_CLASSES[spec.domain](spec, sim, initial)
