"""Generated fault reports: firmware log lines, free text and telemetry, with labels.

A report is drawn as (fault, device kind, severity) first. Its text is a symptom
phrase of the fault inside a sentence frame, wrapped in a log format; its
numbers are drawn from the kind's limits at the level the severity needs, so
labels and physics agree, and `_label` rejects any draw whose words or readings
say otherwise. Held-out parts (after `HELD_OUT` in each list) never reach
training: `held_out=True` uses only held-out frames, log formats and none/unknown
templates (plus telemetry-only reports, which have no template);
`unseen_wording=True` uses the held-out symptom phrases, new wordings of known
words. `sample_report` gives firmware_sim realistic payloads.

Template syntax: `(a|b)` a choice, `[x]` optional, `{slot}` a value or a reading
with its unit, `<...>` the evidence span. A symptom starting with `!warning ` or
`!critical ` says what severity it means when nothing else says it.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from nanoiot.diagnostics import encoding
from nanoiot.diagnostics.encoding import MARKERS
from nanoiot.diagnostics.faults import FAULT_INFO, SEVERITY_RANK
from nanoiot.diagnostics.thresholds import DEFAULT_LIMITS, Limits, readings_for

# ---- device kinds ------------------------------------------------------------------------

TELEMETRY_FIELDS: dict[str, list[str]] = {
    "pump": ["current_a", "temperature_c", "vibration_mm_s", "pressure_bar", "flow_l_min", "rpm"],
    "conveyor": ["current_a", "temperature_c", "vibration_mm_s", "rpm"],
    "mixer": ["current_a", "temperature_c", "vibration_mm_s", "rpm"],
    "compressor": ["current_a", "temperature_c", "vibration_mm_s", "pressure_bar", "cycles_per_hour"],
    "machine": ["current_a", "temperature_c", "vibration_mm_s", "rpm"],
    "fan": ["current_a", "temperature_c", "vibration_mm_s", "rpm", "filter_dp_pa"],
    "plug": ["current_a", "temperature_c", "linkquality"],
    "light": ["temperature_c", "linkquality"],
    "climate": ["temperature_c", "cycles_per_hour", "filter_dp_pa", "linkquality"],
    "valve": ["flow_l_min", "battery_pct", "linkquality"],
    "vacuum": ["battery_pct"],
    "lock": ["battery_pct", "linkquality"],
    "cover": ["current_a", "battery_pct", "linkquality"],
    "sensor": ["temperature_c", "battery_pct", "linkquality"],
    "generic": ["linkquality", "battery_pct"],
}
EXTRA_FIELDS: dict[str, dict[str, Callable[[random.Random], Any]]] = {  # realistic noise the limits ignore
    "conveyor": {"speed_pct": lambda r: r.randrange(10, 101, 5)},
    "pump": {"speed_pct": lambda r: r.randrange(20, 101, 5)},
    "plug": {"power_w": lambda r: round(r.uniform(0, 2500), 1), "state": lambda r: "ON"},
    "cover": {"position": lambda r: r.randrange(0, 101, 10)},
    "sensor": {"humidity": lambda r: round(r.uniform(20, 80), 1)},
    "climate": {"system_mode": lambda r: r.choice(["heat", "cool", "auto"]), "current_heating_setpoint": lambda r: r.choice([19, 20, 21, 22])},
    "lock": {"state": lambda r: r.choice(["LOCKED", "UNLOCKED"])},
}
DEVICE_NAMES: dict[str, list[str]] = {
    "pump": ["pump 3", "p 101", "feed pump", "booster pump", "pump b", "circulation pump", "well pump"],
    "conveyor": ["conveyor b", "belt 2", "infeed conveyor", "conveyor 4", "outfeed belt"],
    "mixer": ["mixer 1", "agitator 2", "batch mixer"],
    "compressor": ["compressor 1", "air compressor", "chiller compressor", "comp 2"],
    "machine": ["motor 7", "drive 3", "spindle 1", "press 2"],
    "fan": ["exhaust fan", "fan 2", "supply fan", "extractor"],
    "plug": ["plug 4", "smart plug", "heater plug", "kettle plug"],
    "light": ["hall light", "led driver 3", "floodlight"],
    "climate": ["thermostat", "heat pump", "ac unit", "boiler"],
    "valve": ["main valve", "valve 2", "irrigation valve", "water shutoff"],
    "vacuum": ["robot vacuum", "vacuum", "roborock"],
    "lock": ["front door lock", "back door lock", "smart lock"],
    "cover": ["garage door", "blind", "shutter 2", "awning"],
    "sensor": ["leak sensor", "temperature sensor", "basement sensor", "sensor 12"],
    "generic": ["node 5", "device 9", "module 3"],
}
HOSTS = ["plc-01", "gw-edge", "node-17", "esp32-a4c1", "ctrl-2", "rtu-5", "fw"]
MODULES = ["motor_ctl", "pump_ctrl", "app_main", "sensors", "drive", "safety", "io"]
ROTATING = ["pump", "conveyor", "mixer", "compressor", "machine", "fan"]
PARTS = ["motor", "bearing", "drive end bearing", "non drive end bearing", "winding", "gearbox", "casing", "stator"]
BEARINGS = ["bearing", "drive end bearing", "non drive end bearing", "motor bearing", "pump bearing", "fan bearing"]
SEAL_PARTS = ["mechanical seal", "flange", "inlet fitting", "outlet pipe", "valve body", "hose connection", "gland"]
SENSORS = ["temperature", "pressure", "flow", "vibration", "level", "humidity", "current"]
JAM_PARTS: dict[str, list[str]] = {
    "lock": ["door", "bolt", "latch", "deadbolt", "lock"],
    "cover": ["blind", "shutter", "garage door", "cover", "awning"],
    "conveyor": ["belt", "conveyor", "transfer chute", "diverter"],
    "valve": ["valve", "actuator", "valve stem", "ball valve"],
    "vacuum": ["main brush", "side brush", "wheel", "roller brush"],
    "mixer": ["agitator", "paddle", "mixer shaft"],
}

FAULT_KINDS: dict[str, list[str]] = {
    "overcurrent": ["pump", "conveyor", "mixer", "compressor", "fan", "plug", "cover", "machine"],
    "overtemperature": ["pump", "conveyor", "mixer", "compressor", "fan", "plug", "light", "climate", "machine"],
    "bearing_wear": ["pump", "conveyor", "mixer", "compressor", "fan", "machine"],
    "motor_stall": ["pump", "conveyor", "mixer", "fan", "machine", "cover"],
    "dry_run": ["pump"],
    "blockage": ["pump", "compressor", "vacuum", "fan"],
    "leak": ["pump", "valve", "sensor", "compressor", "climate"],
    "low_battery": ["lock", "sensor", "vacuum", "valve", "cover", "generic"],
    "sensor_failure": ["pump", "conveyor", "compressor", "climate", "sensor", "mixer", "machine"],
    "communication_loss": list(TELEMETRY_FIELDS),
    "jammed": list(JAM_PARTS),
    "filter_clogged": ["climate", "fan", "compressor", "vacuum", "pump"],
    "short_cycling": ["compressor", "climate"],
    "none": list(TELEMETRY_FIELDS),
    "unknown": list(TELEMETRY_FIELDS),
}
FAULT_WEIGHTS: dict[str, float] = {f: 1.0 for f in FAULT_KINDS} | {"none": 1.6, "unknown": 0.8}

# ---- messages: a symptom phrase of the fault inside a sentence frame ------------------------
# Entries after HELD_OUT are held out of training. Held-out frames (and log formats, and the
# none/unknown templates after HELD_OUT) make the main held-out set; held-out symptoms are new
# wordings of known words and make the separate "unseen wording" set.

HELD_OUT = "---"
SYMPTOMS: dict[str, list[str]] = {
    "overcurrent": [
        "<overcurrent>", "<overcurrent> <I={curr}>", "<motor current {curr}>", "<current {curr} above rated>",
        "<high current draw>", "<high current {curr}>", "<overload>", "<overload> - current {curr}",
        "<phase current {curr}> exceeds limit", "<over current>", "<current too high>[ ({curr})]",
        "<excessive current>", "<drawing {curr}>", "<amps too high>[ ({curr})]", "<current spike>[ {curr}]",
        "<overcurrent> on {part}", "<motor overloaded>", "<load current {curr}>",
        HELD_OUT,
        "<too much current>[ ({curr})]", "<current overload>", "<drawing too many amps>", "<overloaded motor>",
    ],
    "overtemperature": [
        "<{part} temperature {temp}>[ rising]", "<overtemp> <T={temp}>", "<{part} overheating>[, {temp}]",
        "<high temperature>[: {temp}]", "<high {part} temperature>[ {temp}]", "<{part} temp {temp}>",
        "<over temperature>[ {temp}]", "<{part} running hot>[ at {temp}]", "<too hot>[ ({temp})]", "<{part} hot>",
        "<overheated>", "<temperature high>[ {temp}]", "<thermal cutout>", "<temp {temp}>[ rising]",
        "<overheating>", "<hot {part}>[ {temp}]",
        HELD_OUT,
        "<{part} is overheating>", "<{part} getting too hot>", "<temperature too high>[ ({temp})]",
        "<{part} runs hot>[ {temp}]",
    ],
    "bearing_wear": [
        "<vibration {vib}>[ on {bearing}]", "<{bearing} noise>", "<grinding noise> from {bearing}", "<bearing wear>",
        "<high vibration>[ {vib}]", "<{bearing} worn>[, vibration {vib}]", "<vibration level {vib}>",
        "<{bearing} rumbling>", "<excessive vibration>[ ({vib})]", "<noisy {bearing}>", "<{bearing} squealing>",
        "<worn bearing>", "<bearing failure>", "<knocking> from {bearing}", "<vibration high>[ {vib}]",
        HELD_OUT,
        "<{bearing} grinding>", "<strong vibration>[ {vib}]", "<{bearing} is noisy>", "<rumbling noise> at {bearing}",
    ],
    "motor_stall": [
        "<motor stall>[ at {rpm}][, current {curr}]", "<rotor locked>[, {curr}]", "<motor stalled>[, speed {rpm}]",
        "<locked rotor>[ current {curr}]", "<no rotation> despite run command", "<stall detected>",
        "<motor not turning>[, drawing {curr}]", "<motor does not turn>[ ({rpm})]", "<shaft not rotating>",
        "<stalled>[ at {rpm}]", "<motor stall> fault", "<rotor not turning>",
        HELD_OUT,
        "<motor stalls>[, {curr}]", "<shaft does not turn>", "<stalled motor>", "<no rotation> at {rpm}",
    ],
    "dry_run": [
        "<dry run>[, flow {flow}]", "<running dry>[, flow {flow}]", "<no flow>[ ({flow})][, current {curr}]",
        "<cavitation> at suction", "<loss of prime>", "<suction empty>[, {flow}]",
        "<pumping air>[, current only {curr}]", "<no water at inlet>", "<air in pump>", "<lost prime>",
        "<dry running>", "<tank empty>[, flow {flow}]", "<no liquid>", "<cavitation>",
        HELD_OUT,
        "<pump is running dry>", "<no water in suction>", "<prime lost>", "<dry running> protection",
    ],
    "blockage": [
        "<discharge pressure {press}>", "<outlet blocked>", "<clogged impeller>", "<suction blocked>",
        "<line obstruction>[, pressure {press}]", "<high pressure>[ {press}]", "<airflow blocked>",
        "<obstruction in discharge line>[ {press}]", "<pipe blocked>", "<blocked outlet>", "<obstruction>",
        "<clogged line>", "<discharge blocked>", "<nozzle clogged>", "<pressure {press}> on discharge",
        HELD_OUT,
        "<blocked pipe>", "<obstructed outlet>", "<line blocked>[, {press}]", "<impeller clogged>",
    ],
    "leak": [
        "<water leak>", "<leak> at {seal}", "!critical <water on floor>", "<refrigerant leak>",
        "!warning <drip> from {seal}", "<{seal} leaking>", "<leakage> near {dev}", "<moisture> under {seal}",
        "!warning <{seal} weeping>", "<leaking>", "<puddle> under {dev}", "<water detected>", "<oil leak>",
        "!warning <{seal} dripping>", "<wet floor>",
        HELD_OUT,
        "<leaking {seal}>", "!warning <water dripping> from {seal}", "<leak detected>", "<moisture detected>",
    ],
    "low_battery": [
        "<low battery>[ {batt}]", "<battery {batt}>", "<battery low>[, {batt} left]", "<replace battery>",
        "<batt {batt}>", "<battery level {batt}>", "<battery nearly empty>[ {batt}]", "<{batt} charge remaining>",
        "<battery empty>", "<battery weak>[ {batt}]", "<batteries low>", "<recharge needed>",
        "<battery almost dead>",
        HELD_OUT,
        "<weak battery>[ {batt}]", "<battery is low>[, {batt}]", "<battery running out>", "<change batteries>",
    ],
    "sensor_failure": [
        "<{sensor} sensor fault>", "<{sensor} sensor disconnected>", "<{sensor} reading out of range>[: {bad}]",
        "<open circuit> on {sensor} probe", "<{sensor} reading {bad}>", "<ds18b20 read {badtemp}>",
        "<{sensor} sensor stuck> at constant value", "<{sensor} probe broken>", "<implausible {sensor} value>[ {bad}]",
        "<sensor error>", "<{sensor} sensor failed>", "<short circuit> on {sensor} input",
        "<invalid {sensor} reading>[ {bad}]",
        HELD_OUT,
        "<faulty {sensor} sensor>", "<{sensor} probe disconnected>", "<broken {sensor} sensor>",
        "<{sensor} value implausible>[: {bad}]",
    ],
    "communication_loss": [
        "<device offline>", "<no response> from {dev}[ for {secs}s]", "<modbus timeout>[ on slave {n}]",
        "<lost connection> to {dev}", "<heartbeat missed>[ {n} times]", "<{lqi}>", "<zigbee link lost>",
        "<not reachable> since {secs}s", "<connection dropped>[, retrying]", "<offline>", "<communication lost>",
        "<timeout> talking to {dev}", "<link down>", "<unreachable>", "<no heartbeat>", "<can bus error>",
        HELD_OUT,
        "<connection lost>", "<lost link> to {dev}", "<not responding>", "<went offline>",
    ],
    "jammed": [
        "<{jam} jammed>", "<{jam} stuck>[ at {pos} percent]", "<jam detected>[ at {jam}]",
        "<{jam} blocked> by an object", "<{jam} will not move>", "<{jam} cannot move>",
        "<jammed>", "<{jam} seized>", "<{jam} does not move>", "<{jam} caught>",
        HELD_OUT,
        "<stuck {jam}>", "<jammed {jam}>", "<{jam} is stuck>", "<{jam} cannot be moved>",
    ],
    "filter_clogged": [
        "<filter clogged>", "<filter dirty>", "<replace filter>", "<filter differential pressure {dp}>",
        "<clogged filter>", "<air filter blocked>", "<filter needs cleaning>",
        "<high pressure drop across filter>[ {dp}]", "<dirty filter>", "<filter blocked>", "<change filter>",
        "<filter full>", "<filter saturated>",
        HELD_OUT,
        "<blocked filter>", "<filter is dirty>", "<clean the filter>", "<filter needs replacing>",
    ],
    "short_cycling": [
        "<short cycling>", "<compressor short cycling>[, {cycles}]", "<too many starts>[: {cycles}]",
        "<frequent on off cycling>", "<rapid cycling>[ ({cycles})]", "<{cycles}>",
        "<compressor cycling too often>[ ({cycles})]", "<keeps switching on and off>[, {cycles}]",
        "<short cycle>", "<cycling on and off>", "<frequent starts>", "<starts too often>",
        HELD_OUT,
        "<switching on and off too often>", "<too many cycles>[: {cycles}]", "<rapid on off>", "<keeps cycling>",
    ],
}
FRAMES = [
    "{s} {cue}", "{s} {cue}", "{s} {cue}", "{s} on {dev} {cue}", "{dev}: {s} {cue}", "{cue} {s}",
    "{s} detected {cue}", "{dev} reports {s} {cue}", "{s} - {dev} {cue}", "fault: {s} {cue}",
    "{s}, check {dev} {cue}", "{dev} {s} {cue}", "{s} at {dev} {cue}", "alert: {s} {cue}", "status: {s} {cue}",
    "{s} observed {cue}", "{s} reported by {dev} {cue}", "{s} during startup {cue}", "{s} after restart {cue}",
    "{s}; operator notified {cue}", "found {s} on {dev} {cue}", "event {n}: {s} {cue}", "{s} while running {cue}",
    "{s} in zone {n} {cue}", "{cue}: {s} on {dev}", "{dev} shows {s} {cue}", "noticed {s} {cue}",
    "{s} (code {code}) {cue}", "{s}, {dev} still running {cue}", "{s} since this morning {cue}",
    "{dev} stopped: {s} {cue}", "{s}, maintenance needed {cue}",
    HELD_OUT,
    "{cue} {dev} has {s}", "there is {s} at {dev} {cue}", "seeing {s} {cue}", "{s} again {cue}",
]
# How people (not firmware) say it: an operator's message, a resident's note. Written for 2.1.0 to cover
# everyday words and sentence shapes the log-style symptoms above lack; the part after HELD_OUT is kept
# for the "unseen wording" set, like the symptoms'.
SPOKEN: dict[str, list[str]] = {
    "overcurrent": [
        "<keeps tripping the breaker>", "<trips the breaker> every time it starts", "<keeps blowing fuses>",
        "<pulling way too many amps>", "<the overload relay keeps tripping>", "<breaker pops> when it kicks in",
        "<draws a lot more current> than usual", "<the motor is overloaded> and the breaker went",
        HELD_OUT,
        "<blows the fuse> when it starts", "<the breaker keeps going>", "<current is through the roof>",
    ],
    "overtemperature": [
        "<is really hot to the touch>", "<is way too hot>", "<smells like it is burning> and feels hot",
        "<has been overheating> all afternoon", "<is running very hot>", "<gets too hot> after a few minutes",
        "<the casing is scorching>", "<cut out because it got too hot>",
        HELD_OUT,
        "<is boiling hot>", "<overheats> after an hour", "<feels far too warm>",
    ],
    "bearing_wear": [
        "<is making a grinding noise>", "<makes a loud rattle>", "<is squealing> when it runs",
        "<shakes a lot>", "<is vibrating badly>", "<sounds like metal on metal>", "<has a screeching noise>",
        "<wobbles and rattles>", "<is much louder than it used to be>", "<has a horrible knocking sound>",
        "<whines> and shakes", "<is rumbling>",
        HELD_OUT,
        "<makes a grinding racket>", "<rattles like crazy>", "<vibrates far more than normal>",
    ],
    "motor_stall": [
        "<hums but does not turn>", "<the motor is stuck and just hums>", "<won't spin up>",
        "<tries to start but nothing turns>", "<motor is locked up>", "<the shaft will not turn>",
        "<motor buzzes and stays still>", "<seized motor>",
        HELD_OUT,
        "<motor hums and nothing moves>", "<will not turn over>", "<motor froze up>",
    ],
    "dry_run": [
        "<is running with no water>", "<sucking air>", "<lost its prime> again", "<nothing is coming out> of the pump",
        "<the tank ran empty> and the pump keeps going", "<is pumping nothing>", "<gurgles and pumps air>",
        HELD_OUT,
        "<is running dry> again", "<no water coming through>", "<has no water to pump>",
    ],
    "blockage": [
        "<something is blocking the outlet>", "<the pipe is clogged>", "<water is not draining>",
        "<pressure shot up and nothing flows>", "<the drain is backed up>", "<the line is blocked> somewhere",
        "<the nozzle is gunked up>", "<barely any flow> and high pressure",
        HELD_OUT,
        "<the outlet is plugged>", "<something stuck in the line>", "<will not drain>",
    ],
    "leak": [
        "<is leaking>", "<there is a puddle> under it", "<water all over the floor>", "<dripping everywhere>",
        "<oil on the floor> under it", "<a leak> at the joint", "<hissing air> and the pressure keeps dropping",
        "<water coming out> of the bottom", "<the floor is wet> around it", "<losing pressure> from a leak",
        HELD_OUT,
        "<water pooling> next to it", "<has sprung a leak>", "<is dripping water>",
    ],
    "low_battery": [
        "<needs new batteries>", "<the battery is almost flat>", "<keeps beeping about the battery>",
        "<battery is nearly dead>", "<says the battery is low>", "<the batteries are running out>",
        "<needs charging>", "<low battery light is on>",
        HELD_OUT,
        "<wants new batteries>", "<battery is flat>", "<chirps for a new battery>",
    ],
    "sensor_failure": [
        "<reads minus 127>", "<shows a silly reading>", "<the probe fell off>", "<the sensor is reading nonsense>",
        "<shows the same value all day>", "<the sensor cable is unplugged>", "<reading jumps all over the place>",
        "<temperature reads 85 even though the room is cold>", "<the probe is broken>",
        HELD_OUT,
        "<sensor shows garbage>", "<the probe came loose>", "<reads an impossible value>",
    ],
    "communication_loss": [
        "<has dropped off the network>", "<is not showing up> in the app", "<stopped responding>",
        "<lost its connection>", "<shows as unavailable>", "<has been offline> since this morning",
        "<does not answer anymore>", "<disconnected> from the hub",
        HELD_OUT,
        "<fell off the wifi>", "<went silent>", "<cannot be reached>",
    ],
    "jammed": [
        "<is stuck> halfway", "<will not budge>", "<is jammed> with something", "<got caught on something>",
        "<the door is stuck>", "<is tangled> and will not move", "<will not open or close>",
        "<something is wedged in it>", "<stopped moving> halfway",
        HELD_OUT,
        "<is wedged>", "<can not move> at all", "<is stuck fast>",
    ],
    "filter_clogged": [
        "<the filter is full of dust>", "<filter looks filthy>", "<needs a new filter>", "<the filter is caked>",
        "<airflow is weak> and the filter is dirty", "<filter light is on>",
        HELD_OUT,
        "<the filter is clogged up>", "<filter is disgusting>", "<wants the filter changed>",
    ],
    "short_cycling": [
        "<keeps turning on and off>", "<switches on and off> every few minutes", "<clicks on and off> constantly",
        "<starts and stops> all the time", "<never runs more than a minute>", "<keeps cycling>",
        "<turns itself off and on again> nonstop",
        HELD_OUT,
        "<flips on and off> all day", "<keeps kicking on and off>", "<cycles too fast>",
    ],
}
SPOKEN_FRAMES = [
    "the {dev} {s}", "{dev} {s}", "our {dev} {s}", "the {dev} {s}, can someone look", "hey the {dev} {s}",
    "i think the {dev} {s}", "{dev} {s} since yesterday", "the {dev} {s} again", "just noticed the {dev} {s}",
    "not sure why but the {dev} {s}", "the {dev} in the back {s}", "looks like the {dev} {s}",
    "someone said the {dev} {s}", "the {dev} {s} please send someone",
    HELD_OUT,
    "um the {dev} {s}", "fyi {dev} {s}", "the old {dev} {s} today",
]
SPOKEN_SHARE = 0.3  # of text reports of a fault with spoken phrases

# generic words sprinkled into training frames so that unseen context words do not sway the model
# (none of the held-out frames' words: there, is, seeing, again, has)
FILLERS = (
    "now still the a unit line zone after during shift night today just reported by operator note "
    "field site plant floor east west north south upper lower left right main aux station cell bay "
    "please update log event ref ticket auto manual mode local remote"
).split()

FULL_TEMPLATES: dict[str, list[str]] = {  # faults without a symptom phrase
    "none": [
        "heartbeat ok",
        "status ok[, {okreading}]",
        "all parameters normal",
        "{dev} running normally[, {okreading}]",
        "self test passed",
        "cycle complete",
        "firmware updated to {ver}",
        "filter replaced",
        "started by operator",
        "stopped by operator",
        "overtemperature alarm cleared[, {okreading}]",
        "fault reset by operator",
        "no leak detected",
        "battery {okbatt}",
        "door (locked|unlocked)",
        "cleaning finished, docked",
        "vibration {okvib} within limits",
        "maintenance completed",
        "{dev} idle",
        "no faults",
        "everything nominal",
        "periodic status[, {okreading}]",
        "{dev} ok",
        "everything ok on {dev}",
        "no alarms[, {okreading}]",
        "{dev} healthy",
        "status report: {dev} running[, {okreading}]",
        "normal operation",
        "all good",
        "system check ok on {dev}",
        HELD_OUT,
        "routine report: everything nominal[, {okreading}]",
        "{dev} idle, no faults",
        "periodic status report, {okreading}",
        "all ok on {dev}",
    ],
    "unknown": [
        "<error {code}>",
        "<fault code {hex}>",
        "<general fault>[ on {dev}]",
        "<unexpected reboot>",
        "<watchdog reset>",
        "<internal error {hex}>",
        "<maintenance required>",
        "<fault {n}> see manual",
        "{dev} <error {code}>",
        "<unknown fault>",
        "<error> (code {hex})",
        HELD_OUT,
        "<unspecified fault {code}>",
        "controller reports <error {hex}>",
        "<general fault> (code {hex})",
    ],
}

# ---- log formats --------------------------------------------------------------------------

WRAPPERS = [
    "{msg}",
    "{msg}",
    "{msg}",
    "[{date} {time}] {LVL} {msg}",
    "{L1} ({ms}) {module}: {msg}",
    "<{pri}>{mon} {day} {time} {host} {module}[{pid}]: {msg}",
    "{date}T{time}Z {host} {LVL}: {msg}",
    "{ecode} {msg}",
    "operator: {msg}",
    HELD_OUT,
    "{time} | {host} | {LVL} | {msg}",
    'ts={epoch} lvl={lvl} msg="{msg}"',
    "{host}: {msg} ({LVL})",
    "{msg}",
]
LEVEL_WORDS = {
    "critical": ["CRIT", "CRITICAL", "ALARM", "FATAL", "ERROR", "ERR"],
    "warning": ["WARN", "WARNING", "ERROR", "ERR"],
    "info": ["INFO", "NOTICE"],
}
LEVEL_LETTER = {"critical": "E", "warning": "W", "info": "I"}
CUES = {
    "critical": ["critical", "CRITICAL", "shutdown initiated", "emergency stop", "tripped", "severe", "stop immediately", "ALARM"],
    "warning": ["warning", "minor", "check soon", "approaching limit", "please check soon", "WARNING"],
}
NEUTRAL_CUES = ["", "", "", "", "detected", "on {dev}", "please check"]


@dataclass
class Report:
    kind: str
    text: str | None
    telemetry: dict[str, Any]
    fault: str
    severity: str
    evidence: list[str] = field(default_factory=list)
    held_out: bool = False

    def payload(self) -> dict[str, Any]:
        """The JSON a device would publish."""
        out: dict[str, Any] = {}
        if self.text:
            out["text"] = self.text
        if self.telemetry:
            out["telemetry"] = self.telemetry
        return out


def _split(items: list[str], held_out: bool) -> list[str]:
    cut = items.index(HELD_OUT)
    return items[cut + 1 :] if held_out else items[:cut]


# ---- values ------------------------------------------------------------------------------

_INVALID = {
    "temperature_c": [-127.0, 850.0, 3276.7, -273.0, 999.9],
    "current_a": [-3.2, 655.35, -1.0],
    "vibration_mm_s": [-1.0, 655.3, 250.0],
    "pressure_bar": [-5.0, 999.0, 327.6],
    "flow_l_min": [-12.0, -1.0],
    "battery_pct": [255.0, -1.0, 127.0],
    "rpm": [-1.0, 65535.0],
    "cycles_per_hour": [-1.0, 9999.0],
    "filter_dp_pa": [-50.0, 65535.0],
    "linkquality": [-1.0, 300.0],
}


def _value(kind: str, name: str, level: str, rng: random.Random) -> float:
    """A reading of `name` on a device of `kind` at `level` (checked against the limit)."""
    limit = DEFAULT_LIMITS[kind].get(name) or DEFAULT_LIMITS["generic"][name]
    for _ in range(50):
        value = _draw(limit, name, level, rng)
        value = round(value, 1) if abs(value) < 100 else float(round(value))
        if limit.level(value) == level:
            return value
    raise ValueError(f"cannot draw {name} at {level} for {kind}")


def _draw(limit: Any, name: str, level: str, rng: random.Random) -> float:
    if level == "invalid":
        return rng.choice(_INVALID[name])
    if level == "zero":
        return 0.0
    if level == "critical_high":
        return limit.critical_high * rng.uniform(1.0, 1.35)
    if level == "warning_high":
        return rng.uniform(limit.warning_high, limit.critical_high if limit.critical_high else limit.warning_high * 1.5)
    if level == "critical_low":
        return rng.uniform(0, limit.critical_low)
    if level == "warning_low":
        low = limit.critical_low if limit.critical_low is not None else (limit.valid_min if limit.valid_min > -1e9 else 0)
        return rng.uniform(low + 0.5, limit.warning_low)
    if level == "low":
        return rng.uniform(limit.low * 0.2, limit.low * 0.95)
    # ok
    if name == "battery_pct":
        return rng.uniform(30, 100)
    if name == "linkquality":
        return rng.uniform(40, 255)
    if name == "rssi_dbm":
        return rng.uniform(-80, -40)
    if name == "rpm":
        return rng.uniform(700, 3000)
    if name == "flow_l_min":
        return rng.uniform(20, 400)
    if name == "temperature_c" and limit.warning_high is None:
        return rng.uniform(12, 30)
    if name == "temperature_c":
        return rng.uniform(limit.warning_high * 0.3, limit.warning_high * 0.85)
    if name == "cycles_per_hour":
        return rng.uniform(0, limit.warning_high * 0.7)
    top = limit.warning_high if limit.warning_high is not None else 10.0
    bottom = limit.low if limit.low is not None else 0.0
    return rng.uniform(bottom * 1.1 if bottom else top * 0.1, top * 0.85)


def _reading_text(name: str, value: float, rng: random.Random, held_out: bool) -> str:
    """A reading as firmware or a person writes it, with its unit."""
    v = f"{value:g}"
    if name == "temperature_c":
        if held_out and rng.random() < 0.3 and value > -100:
            return f"{value * 9 / 5 + 32:.0f} °F"
        return rng.choice([f"{v}C", f"{v} °C", f"{v}°C", f"{v} C", f"{v} degrees", f"{v}c"])
    if name == "current_a":
        if value < 1 and value > 0 and rng.random() < 0.5:
            return f"{value * 1000:.0f} mA"
        return rng.choice([f"{v} A", f"{v}A", f"{v} amps", f"{v} A"])
    if name == "vibration_mm_s":
        return rng.choice([f"{v} mm/s", f"{v}mm/s", f"{v} mm/s rms"])
    if name == "battery_pct":
        return rng.choice([f"{value:.0f}%", f"{value:.0f} %", f"{value:.0f} percent"])
    if name == "pressure_bar":
        return rng.choice([f"{v} bar", f"{v}bar", f"{v} bar", f"{value * 14.5038:.0f} psi"])
    if name == "rpm":
        return rng.choice([f"{value:.0f} rpm", f"{value:.0f}rpm", f"{value:.0f} RPM"])
    if name == "flow_l_min":
        return rng.choice([f"{v} l/min", f"{v} lpm", f"{v} L/min"])
    if name == "cycles_per_hour":
        return rng.choice([f"{value:.0f} starts per hour", f"{value:.0f} cycles per hour", f"{value:.0f} starts/hour", f"{value:.0f} starts in the last hour"])
    if name == "filter_dp_pa":
        return rng.choice([f"{value:.0f} Pa", f"{value:.0f}Pa"])
    if name == "linkquality":
        return rng.choice([f"link quality {value:.0f}", f"LQI {value:.0f}", f"linkquality {value:.0f}"])
    raise KeyError(name)


# ---- rendering ----------------------------------------------------------------------------

_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_CHOICE = re.compile(r"\(([^()]*\|[^()]*)\)")
_SLOT = re.compile(r"\{(\w+)\}")
_SPAN = re.compile(r"<([^<>]*)>")

_SIGNATURES: dict[str, dict[str, str]] = {
    # the telemetry pattern of each fault; HIGH/LOW become <severity>_high/_low
    "overcurrent": {"current_a": "HIGH"},
    "overtemperature": {"temperature_c": "HIGH"},
    "bearing_wear": {"vibration_mm_s": "HIGH"},
    "motor_stall": {"current_a": "ANYHIGH", "rpm": "zero"},
    "dry_run": {"flow_l_min": "zero", "current_a": "low"},
    "blockage": {"pressure_bar": "HIGH"},
    "low_battery": {"battery_pct": "LOW"},
    "filter_clogged": {"filter_dp_pa": "HIGH"},
    "short_cycling": {"cycles_per_hour": "HIGH"},
}
_SLOT_FIELDS = {
    "curr": "current_a", "temp": "temperature_c", "vib": "vibration_mm_s", "press": "pressure_bar",
    "batt": "battery_pct", "rpm": "rpm", "flow": "flow_l_min", "cycles": "cycles_per_hour", "dp": "filter_dp_pa",
    "lqi": "linkquality",
}


class _Draft:
    """One report being drawn: the levels its readings must have, what got rendered."""

    def __init__(self, rng: random.Random, kind: str, fault: str, severity: str, held_out: bool) -> None:
        self.rng, self.kind, self.fault, self.severity, self.held_out = rng, kind, fault, severity, held_out
        self.levels: dict[str, str] = {}
        for name, level in _SIGNATURES.get(fault, {}).items():
            if level == "HIGH":
                level = f"{severity}_high"
            elif level == "LOW":
                level = f"{severity}_low"
            elif level == "ANYHIGH":
                level = rng.choice(["warning_high", "critical_high"])
            self.levels[name] = level
        self.text_fields: set[str] = set()
        self.dev = rng.choice(DEVICE_NAMES[kind])

    def level(self, name: str) -> str:
        if self.fault == "none":
            return "ok"
        if name == "linkquality" and self.fault == "communication_loss":
            return "warning_low"
        if name == "rpm" and self.fault == "motor_stall":
            return "zero"
        return self.levels.get(name, "ok")

    def has_limit(self, name: str) -> bool:
        return name in DEFAULT_LIMITS[self.kind] or name in DEFAULT_LIMITS["generic"]

    def reading(self, name: str, level: str | None = None) -> str:
        if not self.has_limit(name):
            raise _Skip(name)
        level = level or self.level(name)
        self.text_fields.add(name)
        return _reading_text(name, _value(self.kind, name, level, self.rng), self.rng, self.held_out)

    def slot(self, name: str) -> str:
        rng = self.rng
        if name in _SLOT_FIELDS:
            return self.reading(_SLOT_FIELDS[name])
        if name == "bad":
            field_name = rng.choice([f for f in TELEMETRY_FIELDS[self.kind] if f in _INVALID] or ["temperature_c"])
            if field_name == "linkquality":
                field_name = "temperature_c"
            self.text_fields.add(field_name)
            return _reading_text(field_name, rng.choice(_INVALID[field_name]), rng, False)
        if name == "badtemp":
            self.text_fields.add("temperature_c")
            return _reading_text("temperature_c", rng.choice([-127.0, 85.0 * 10, -273.0]), rng, False)
        if name == "okreading":
            fields = [f for f in TELEMETRY_FIELDS[self.kind] if f != "linkquality"] or ["battery_pct"]
            picked = rng.sample(fields, k=min(len(fields), rng.choice([1, 1, 2])))
            return ", ".join(self.reading(f, "ok") for f in picked)
        if name == "okbatt":
            return self.reading("battery_pct", "ok")
        if name == "okvib":
            return self.reading("vibration_mm_s", "ok") if self.kind in ROTATING else _skip(name)
        table: dict[str, Callable[[], str]] = {
            "part": lambda: rng.choice(PARTS) if self.kind in ROTATING else rng.choice(["driver", "housing", "board", "relay"]),
            "bearing": lambda: rng.choice(BEARINGS),
            "seal": lambda: rng.choice(SEAL_PARTS),
            "sensor": lambda: rng.choice(SENSORS),
            "jam": lambda: rng.choice(JAM_PARTS.get(self.kind, ["mechanism"])),
            "dev": lambda: self.dev,
            "secs": lambda: str(rng.choice([30, 60, 90, 120, 300, 600, 1800])),
            "n": lambda: str(rng.randint(1, 32)),
            "pos": lambda: str(rng.randrange(10, 100, 5)),
            "code": lambda: rng.choice(["E", "F", "A", "ERR"]) + str(rng.randint(1, 99)),
            "hex": lambda: f"0x{rng.randint(1, 0xFFFF):0{rng.choice([2, 4])}X}",
            "ver": lambda: f"{rng.randint(1, 4)}.{rng.randint(0, 12)}.{rng.randint(0, 9)}",
        }
        return table[name]()


class _Skip(Exception):
    """The template needs something this kind does not have; draw another."""


def _skip(name: str) -> str:
    raise _Skip(name)


def _expand(template: str, rng: random.Random) -> str:
    while True:
        new = _OPTIONAL.sub(lambda m: m.group(1) if rng.random() < 0.5 else "", template)
        new = _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), new)
        if new == template:
            return new
        template = new


def _message(draft: _Draft, frame: str, template: str) -> tuple[str, list[str], str | None]:
    """Render a symptom (or full template) in a frame: text, its evidence spans, the template's default severity."""
    default = None
    if template.startswith("!"):
        tag, template = template.split(" ", 1)
        default = tag[1:]
    rng = draft.rng
    if not draft.held_out and rng.random() < 0.3:
        words = frame.split(" ")
        for _ in range(rng.randint(1, 3)):
            words.insert(rng.randint(0, len(words)), rng.choice(FILLERS))
        frame = " ".join(words)
    text = frame.replace("{s}", _expand(template, rng))
    text = _expand(text, rng).replace("{cue}", rng.choice(_cue_options(draft, default)))
    text = _SLOT.sub(lambda m: draft.slot(m.group(1)), text)
    spans = _SPAN.findall(text)
    text = " ".join(_SPAN.sub(lambda m: m.group(1), text).split())
    return text, spans, default


def _cue_options(draft: _Draft, default: str | None) -> list[str]:
    severity = draft.severity
    allowed = FAULT_INFO[draft.fault].severities
    if severity == "info":
        return [""]
    default = default or _default_severity(draft.fault)
    if len(allowed) == 1 or severity == default:
        return NEUTRAL_CUES + CUES[severity]
    return CUES[severity]  # a non-default severity must be said


def _default_severity(fault: str) -> str:
    return {"leak": "critical", "motor_stall": "critical", "dry_run": "critical", "none": "info"}.get(fault, "warning")


def _wrap(draft: _Draft, message: str, held_out: bool) -> str:
    """Put a message into a log line format (or leave it as free text)."""
    rng = draft.rng
    wrapper = rng.choice(_split(WRAPPERS, held_out))
    lvl = rng.choice(LEVEL_WORDS[draft.severity])
    return wrapper.format(
        msg=message,
        LVL=lvl,
        lvl=lvl.lower(),
        L1=LEVEL_LETTER[draft.severity],
        date=f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        time=f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
        ms=rng.randint(1000, 9999999),
        module=rng.choice(MODULES),
        pri=rng.choice([2, 3, 4, 11, 27]),
        mon=rng.choice(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]),
        day=rng.randint(1, 28),
        host=rng.choice(HOSTS + [draft.dev.replace(" ", "-")]),
        pid=rng.randint(100, 9999),
        ecode=rng.choice(["E", "F", "A"]) + str(rng.randint(1, 99)),
        epoch=rng.randint(1_600_000_000, 1_800_000_000),
    )


def _telemetry(draft: _Draft, signature: bool) -> dict[str, Any]:
    rng = draft.rng
    telemetry: dict[str, Any] = {}
    for name in TELEMETRY_FIELDS[draft.kind]:
        level = draft.level(name) if signature else "ok"
        if level == "ok" and rng.random() < 0.35:
            continue
        if name == "linkquality" and draft.fault == "communication_loss" and not signature:
            continue
        telemetry[name] = _value(draft.kind, name, level, rng)
    if signature and draft.fault == "sensor_failure":
        name = rng.choice([f for f in TELEMETRY_FIELDS[draft.kind] if f in _INVALID and f != "linkquality"] or ["temperature_c"])
        telemetry[name] = rng.choice(_INVALID[name])
    if signature and draft.fault == "communication_loss" and rng.random() < 0.5:
        telemetry.pop("linkquality", None)
        telemetry["last_seen_s"] = float(rng.choice([1200, 1800, 3600, 7200, 86400]))
    if signature and draft.fault == "leak" and draft.severity == "critical":
        telemetry["water_leak"] = True
    elif "water_leak" not in telemetry and draft.kind == "sensor" and rng.random() < 0.5:
        telemetry["water_leak"] = False
    for name, make in EXTRA_FIELDS.get(draft.kind, {}).items():
        if rng.random() < 0.4:
            telemetry[name] = make(rng)
    return telemetry


def _has_signature(draft: _Draft) -> bool:
    fields = TELEMETRY_FIELDS[draft.kind]
    if draft.fault == "sensor_failure":
        return True
    if draft.fault == "communication_loss":
        return True
    if draft.fault == "leak":
        return draft.severity == "critical"
    sig = _SIGNATURES.get(draft.fault)
    return bool(sig) and all(name in fields for name in sig)


def draw(
    rng: random.Random,
    held_out: bool = False,
    fault: str | None = None,
    kind: str | None = None,
    severity: str | None = None,
    limits: Limits | None = None,
    unseen_wording: bool = False,
) -> Report:
    """One labelled report; arguments left None are drawn.

    `held_out`: held-out sentence frames, log formats and none/unknown templates;
    `unseen_wording`: held-out symptom phrases (new wordings of the faults).
    """
    limits = limits or Limits()
    for _ in range(200):
        f = fault or rng.choices(list(FAULT_WEIGHTS), weights=list(FAULT_WEIGHTS.values()))[0]
        k = kind if kind in FAULT_KINDS[f] else rng.choice(FAULT_KINDS[f])
        s = severity if severity in FAULT_INFO[f].severities else rng.choice(FAULT_INFO[f].severities)
        try:
            report = _draw_one(rng, f, k, s, held_out, unseen_wording, limits)
        except _Skip:
            continue
        if report is not None:
            return report
    raise RuntimeError(f"no consistent report for fault={fault} kind={kind} severity={severity}")


def _draw_one(
    rng: random.Random, fault: str, kind: str, severity: str, held_out: bool, unseen_wording: bool, limits: Limits
) -> Report | None:
    draft = _Draft(rng, kind, fault, severity, held_out)
    signature = _has_signature(draft)
    mode = rng.choices(["text", "both", "telemetry"], weights=[0.45, 0.4, 0.15 if signature else 0.0])[0]
    if fault == "unknown" and mode == "telemetry":
        mode = "text"
    text, spans, default = None, [], None
    if mode != "telemetry":
        spoken = fault in SPOKEN and rng.random() < SPOKEN_SHARE
        if fault in FULL_TEMPLATES:
            frame, template = "{s}", rng.choice(_split(FULL_TEMPLATES[fault], held_out or unseen_wording))
        elif spoken:  # people write sentences, not log lines
            frame = rng.choice(_split(SPOKEN_FRAMES, held_out))
            template = rng.choice(_split(SPOKEN[fault], unseen_wording))
        else:
            frame = rng.choice(_split(FRAMES, held_out))
            template = rng.choice(_split(SYMPTOMS[fault], unseen_wording))
        message, spans, default = _message(draft, frame, template)
        text = message if spoken else _wrap(draft, message, held_out)
    telemetry = _telemetry(draft, signature and mode != "text") if mode != "text" else {}
    return _label(draft, text, telemetry, spans, default, limits)


def _label(draft: _Draft, text: str | None, telemetry: dict[str, Any], spans: list[str], default: str | None, limits: Limits) -> Report | None:
    """Check the drawn report says what its label says; give it its evidence. None: inconsistent."""
    cleaned = encoding.clean_text(text or "")
    assessment = limits.assess(draft.kind, readings_for(cleaned, telemetry))
    severity = draft.severity
    worst = assessment.worst
    if worst and SEVERITY_RANK[worst.severity] > SEVERITY_RANK[severity]:
        return None
    if draft.fault == "none" and (assessment.hits or any(l not in ("ok", "false") for l in assessment.levels.values())):
        return None
    if draft.fault not in ("none", "sensor_failure") and any(l == "invalid" for l in assessment.levels.values()):
        return None
    if worst and worst.fault != draft.fault and draft.fault not in ("motor_stall", "sensor_failure") and worst.severity == severity:
        return None  # a reading would point to another fault just as strongly
    words = set(cleaned.split())
    said = {s for s, markers in MARKERS.items() if words & markers}
    if draft.fault != "none" and said - {severity}:
        return None
    if draft.fault == "none" and said - {"critical"}:
        return None
    allowed = FAULT_INFO[draft.fault].severities
    if len(allowed) > 1 and severity != (default or _default_severity(draft.fault)):
        reading_says = any(h.severity == severity for h in assessment.hits)
        if severity not in said and not reading_says:
            return None
    evidence = [encoding.clean_text(span) for span in spans]
    evidence = [e for e in evidence if e and e in cleaned]
    signature_fields = set(_SIGNATURES.get(draft.fault, {})) | {h.field for h in assessment.hits if h.fault == draft.fault}
    if draft.fault == "communication_loss":
        signature_fields |= {"linkquality", "last_seen_s"}
    evidence += sorted(
        name for name, level in assessment.levels.items()
        if name in signature_fields and level not in ("ok", "false")
    )
    if draft.fault == "leak" and assessment.levels.get("water_leak") == "true" and "water_leak" not in evidence:
        evidence.append("water_leak")
    if draft.fault not in ("none",) and not evidence:
        return None
    return Report(draft.kind, text, telemetry, draft.fault, severity, evidence, draft.held_out)


def generate(n: int, seed: int, held_out: bool = False, unseen_wording: bool = False) -> list[Report]:
    """`n` labelled reports; training uses no held-out frame, log format, template or symptom."""
    rng = random.Random(seed)
    return [draw(rng, held_out=held_out, unseen_wording=unseen_wording) for _ in range(n)]


def to_pair(report: Report, limits: Limits | None = None) -> tuple[str, str]:
    """(model input, model output) of a report, built exactly as the runtime builds its input."""
    limits = limits or Limits()
    cleaned = encoding.clean_text(report.text or "")
    levels = limits.assess(report.kind, readings_for(cleaned, report.telemetry)).levels
    return encoding.source(report.kind, cleaned, levels), encoding.target(report.fault, report.severity, report.evidence)


def sample_report(
    kind: str, fault: str, severity: str | None = None, seed: int | None = None, held_out: bool = True
) -> dict[str, Any]:
    """A realistic report payload for firmware_sim's fault injection (held-out templates by default).

    `kind` is a thresholds kind (pump, conveyor, ...); unknown kinds use the
    closest generic one. Returns `{"text": ..., "telemetry": {...}}` (either may be absent).
    """
    rng = random.Random(seed)
    kind = kind if kind in FAULT_KINDS[fault] else FAULT_KINDS[fault][0]
    return draw(rng, held_out=held_out, fault=fault, kind=kind, severity=severity).payload()
