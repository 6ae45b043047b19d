"""The device state machines on their own: firmware validation, state changes, time-driven behaviour."""

from __future__ import annotations

import itertools

import pytest

from firmware_sim.devices import (
    Climate, Cover, Fan, Light, Lock, Machine, PayloadError, Sensor, Switch, Vacuum, Valve, make_device,
)
from nanoiot.registry import Device


def dev(domain: str, object_id: str = "x", **fields: object) -> Device:
    return Device(id=f"{domain}.{object_id}", name=object_id, domain=domain, **fields)  # type: ignore[arg-type]


def refused(device, payload, code: str) -> None:  # type: ignore[no-untyped-def]
    before = device.snapshot()
    with pytest.raises(PayloadError) as info:
        device.handle(payload, 0.0)
    assert info.value.code == code
    assert device.state == before, "a refused command must leave the state as it was"


def test_light_brightness_colour_and_toggle() -> None:
    light = Light(dev("light"))
    light.handle({"state": "ON", "brightness": 76}, 0)
    assert light.state["state"] == "ON" and light.state["brightness"] == 76
    light.handle({"state": "ON", "brightness_step": -51}, 0)
    assert light.state["brightness"] == 25
    light.handle({"brightness_step": -100}, 0)
    assert light.state["state"] == "OFF" and light.state["brightness"] == 25
    light.handle({"state": "ON", "color": {"hex": "#FF0000"}}, 0)
    assert light.state["color"] == {"hex": "#ff0000"} and light.state["color_mode"] == "xy"
    light.handle({"color_temp": 1000}, 0)  # outside the bulb's range: clamped like Zigbee2MQTT
    assert light.state["color_temp"] == Light.MAX_MIREDS and light.state["color_mode"] == "color_temp"
    light.handle({"state": "TOGGLE"}, 0)
    assert light.state["state"] == "OFF"
    light.handle({"brightness": 0}, 0)
    assert light.state["state"] == "OFF"


@pytest.mark.parametrize("payload,code", [
    ({"brightness": 300}, "out_of_range"),
    ({"brightness": -1}, "out_of_range"),
    ({"brightness": "bright"}, "bad_payload"),
    ({"brightness": 12.5}, "bad_payload"),
    ({"brightness": True}, "bad_payload"),
    ({"state": "DIM"}, "out_of_range"),
    ({"color": {"hex": "red"}}, "bad_payload"),
    ({"colour": "red"}, "unsupported"),
    ({}, "bad_payload"),
    ([1, 2], "bad_payload"),
    ({"state": "ON", "brightness": 999}, "out_of_range"),  # validated whole: state must not turn ON either
])
def test_light_refuses_bad_payloads_and_keeps_state(payload: object, code: str) -> None:
    refused(Light(dev("light")), payload, code)


def test_light_capabilities_are_enforced() -> None:
    relay = Light(dev("light", capabilities=["onoff"]))
    refused(relay, {"brightness": 100}, "unsupported")
    white = Light(dev("light", capabilities=["brightness"]))
    refused(white, {"state": "ON", "color": {"hex": "#ff0000"}}, "unsupported")
    white.handle({"state": "ON", "brightness": 10}, 0)
    assert "color" not in white.state and white.state["brightness"] == 10


def test_nanoiot_envelope_is_checked_and_translated() -> None:
    light = Light(dev("light", "desk", payload="nanoiot"))
    command_id = light.handle({"id": "c1", "service": "light.turn_on", "targets": ["light.desk"],
                               "data": {"brightness_pct": 30, "color_name": "blue"}}, 0)
    assert command_id == "c1"
    assert light.state["brightness"] == 76 and light.state["color"] == {"hex": "#0000ff"}
    refused(light, {"id": "c2", "service": "light.turn_on", "targets": ["light.other"], "data": {}}, "wrong_target")
    refused(light, {"id": "c3", "service": "lock.lock", "targets": ["light.desk"]}, "unsupported")
    refused(light, {"id": "c4", "service": "light.turn_on", "data": {"color_name": "octarine"}}, "out_of_range")
    refused(light, {"id": "c5", "service": "light.turn_on", "data": {"brightness_pct": "lots"}}, "bad_payload")
    refused(light, {"state": "ON"}, "bad_payload")  # Zigbee2MQTT payload to a nanoiot device
    # the contract's DeviceCommand: an id is required (a device drops an id it has just executed)
    refused(light, {"service": "light.turn_off", "targets": ["light.desk"]}, "bad_payload")


def test_a_repeated_command_id_is_not_executed_twice() -> None:
    light = Light(dev("light", "desk", payload="nanoiot"), initial={"state": "ON", "brightness": 100})
    step = {"id": "s1", "service": "light.turn_on", "targets": ["light.desk"], "data": {"brightness_step_pct": 10}}
    light.handle(step, 0)
    after_once = light.state["brightness"]
    assert light.handle(step, 0) == "s1"  # a QoS 1 repeat
    assert light.state["brightness"] == after_once != 100
    light.handle({**step, "id": "s2"}, 0)
    assert light.state["brightness"] > after_once


def test_switch_and_plug_power() -> None:
    plug = Switch(dev("switch", kind="plug"), sim={"load_w": 1200})
    assert plug.state == {"state": "OFF", "power": 0.0}
    plug.handle({"state": "ON"}, 0)
    assert plug.state == {"state": "ON", "power": 1200.0}
    refused(plug, {"state": "LOCK"}, "out_of_range")


def test_thermostat_setpoint_mode_and_drift() -> None:
    thermostat = Climate(dev("climate"), sim={"ambient_c": 18.0, "drift_c_per_s": 0.5},
                         initial={"local_temperature": 18.0})
    thermostat.handle({"current_heating_setpoint": 21.3}, 0)
    assert thermostat.state["current_heating_setpoint"] == 21.5  # half-degree steps
    assert thermostat.state["running_state"] == "heat"
    refused(thermostat, {"current_heating_setpoint": 40}, "out_of_range")
    refused(thermostat, {"system_mode": "turbo"}, "out_of_range")
    thermostat.tick(0.0)
    assert thermostat.tick(2.0)
    assert thermostat.state["local_temperature"] == 19.0  # 0.5 °C/s toward the setpoint
    thermostat.tick(20.0)
    assert thermostat.state["local_temperature"] == 21.5 and thermostat.state["running_state"] == "idle"
    thermostat.handle({"system_mode": "off"}, 20.0)
    thermostat.tick(40.0)
    assert thermostat.state["local_temperature"] < 21.5  # cools back toward ambient
    trv = Climate(dev("climate"), sim={"modes": ["heat", "off"]})
    refused(trv, {"system_mode": "cool"}, "out_of_range")


def test_lock_and_jam() -> None:
    lock = Lock(dev("lock"))
    lock.handle({"state": "UNLOCK"}, 0)
    assert lock.state["state"] == "UNLOCKED"
    lock.inject_fault("jammed")
    refused(lock, {"state": "LOCK"}, "in_fault")
    lock.reset()
    lock.handle({"state": "UNLOCK"}, 0)
    assert lock.state["state"] == "UNLOCKED"


def test_cover_moves_over_time_and_stops() -> None:
    cover = Cover(dev("cover"), sim={"travel_s": 2.0, "report_s": 0.0})
    cover.handle({"state": "OPEN"}, 10.0)
    assert cover.state == {"state": "opening", "position": 0} and cover.busy
    assert cover.tick(11.0)
    assert cover.state == {"state": "opening", "position": 50}
    cover.handle({"state": "STOP"}, 11.0)
    assert cover.state == {"state": "stopped", "position": 50} and not cover.busy
    cover.handle({"position": 20}, 11.0)
    assert cover.state["state"] == "closing"
    cover.tick(20.0)
    assert cover.state == {"state": "open", "position": 20} and not cover.busy
    cover.handle({"state": "CLOSE"}, 20.0)
    cover.tick(30.0)
    assert cover.state == {"state": "closed", "position": 0}
    refused(cover, {"position": 101}, "out_of_range")
    refused(cover, {"state": "OPEN", "position": 3}, "bad_payload")
    garage = Cover(dev("cover", capabilities=["open_close"]))
    refused(garage, {"position": 50}, "unsupported")


def test_fan_percentage() -> None:
    fan = Fan(dev("fan"), initial={"percentage": 40})
    fan.handle({"state": "ON"}, 0)
    assert fan.state == {"state": "ON", "percentage": 40}
    fan.handle({"state": "ON", "percentage": 70}, 0)
    assert fan.state == {"state": "ON", "percentage": 70}
    fan.handle({"percentage": 0}, 0)
    assert fan.state == {"state": "OFF", "percentage": 70}
    refused(fan, {"percentage": 120}, "out_of_range")


def test_vacuum_cleans_returns_and_docks() -> None:
    vacuum = Vacuum(dev("vacuum"), sim={"return_s": 1.0, "drain_pct_per_s": 1.0})
    vacuum.handle({"command": "start"}, 0.0)
    assert vacuum.state["state"] == "cleaning"
    vacuum.tick(0.0)
    vacuum.tick(10.0)
    assert vacuum.state["battery"] == 90
    vacuum.handle({"command": "return_to_base"}, 10.0)
    assert vacuum.state["state"] == "returning" and vacuum.busy
    vacuum.tick(10.5)
    assert vacuum.state["state"] == "returning"
    vacuum.tick(11.1)
    assert vacuum.state["state"] == "docked" and not vacuum.busy
    vacuum.force({"battery": 5})
    refused(vacuum, {"command": "start"}, "low_battery")
    refused(vacuum, {"command": "dance"}, "out_of_range")


def test_valve_positions_and_minimum_opening() -> None:
    valve = Valve(dev("valve"), sim={"min_open_pct": 10})
    assert valve.spec.payload_style == "nanoiot"
    valve.handle({"id": "v", "service": "valve.set_valve_position", "targets": ["valve.x"], "data": {"position": 35}}, 0)
    assert valve.state == {"state": "open", "position": 35}
    refused(valve, {"id": "v2", "service": "valve.set_valve_position", "targets": ["valve.x"], "data": {"position": 5}}, "out_of_range")
    refused(valve, {"id": "v3", "service": "valve.set_valve_position", "targets": ["valve.x"], "data": {}}, "bad_payload")
    refused(valve, {"id": "v4", "service": "valve.explode", "targets": ["valve.x"]}, "unsupported")
    valve.handle({"id": "v5", "service": "valve.close_valve", "targets": ["valve.x"]}, 0)
    assert valve.state == {"state": "closed", "position": 0}


_ids = itertools.count()


def action(service: str, **data: object) -> dict:
    return {"id": f"c{next(_ids)}", "service": service, "targets": ["machine.x"], "data": data}


def test_machine_runs_faults_and_resets() -> None:
    pump = Machine(dev("machine", kind="pump"), sim={"speed_range": [20, 100]})
    pump.handle(action("machine.set_speed", speed_pct=40), 0)
    assert pump.state["state"] == "stopped" and pump.state["speed_pct"] == 40 and pump.state["current_a"] == 0
    pump.handle(action("machine.start"), 0)
    assert pump.state["state"] == "running" and pump.state["current_a"] > 0 and pump.state["vibration_mm_s"] > 0
    refused(pump, action("machine.set_speed", speed_pct=10), "out_of_range")
    refused(pump, action("machine.set_speed", speed_pct=101), "out_of_range")
    pump.inject_fault("overcurrent")
    assert pump.state["state"] == "fault" and pump.state["current_a"] == 0
    refused(pump, action("machine.start"), "in_fault")
    pump.handle(action("machine.reset_fault"), 0)
    assert pump.state["state"] == "stopped" and pump.state["fault"] is None
    pump.handle(action("machine.start"), 0)
    pump.handle(action("machine.set_speed", speed_pct=0), 0)
    assert pump.state["state"] == "stopped"


def test_machine_heats_up_under_load() -> None:
    compressor = Machine(dev("machine", kind="compressor"), sim={"ambient_c": 20.0}, initial={"speed_pct": 100})
    compressor.handle(action("machine.start"), 0)
    compressor.tick(0.0)
    for second in range(1, 121):
        compressor.tick(float(second))
    assert 50.0 < compressor.state["temperature_c"] < 60.0  # toward 20 + 40 °C rise with a 60 s lag


def test_sensor_is_read_only_and_reset_restores_initial() -> None:
    sensor = Sensor(dev("sensor"), sim={"readings": {"humidity": 71}})
    assert sensor.state == {"humidity": 71}
    refused(sensor, {"state": "ON"}, "unsupported")
    light = make_device(dev("light"), initial={"state": "ON", "brightness": 10})
    light.handle({"state": "OFF"}, 0)
    light.reset()
    assert light.state["state"] == "ON" and light.state["brightness"] == 10


def test_a_condition_fault_keeps_the_machine_running_with_its_readings_until_stopped_and_reset() -> None:
    conveyor = Machine(dev("machine", kind="conveyor"))
    conveyor.handle(action("machine.start"), 0)
    conveyor.inject_fault("overtemperature")
    conveyor.fault_reading({"temperature_c": 104.0, "rpm": 2279.0})
    assert conveyor.state["state"] == "running" and conveyor.state["fault"] == "overtemperature"
    assert conveyor.state["temperature_c"] == 104.0 and "rpm" not in conveyor.state
    conveyor.tick(0.0)
    conveyor.tick(30.0)  # half a thermal time constant later the winding is still as hot as reported
    assert conveyor.state["temperature_c"] == 104.0
    conveyor.handle(action("machine.stop"), 31)
    assert conveyor.state["state"] == "stopped" and conveyor.state["fault"] == "overtemperature"
    conveyor.handle(action("machine.reset_fault"), 32)
    conveyor.tick(200.0)
    assert conveyor.state["fault"] is None and conveyor.state["temperature_c"] < 30


def test_fault_reports_come_from_the_diagnostic_corpus_for_the_machine_kind() -> None:
    import random

    from firmware_sim.faults import fault_report, random_fault

    pump = Machine(dev("machine", kind="pump"))
    report = fault_report(pump, "overtemperature", "critical", seed=3)
    assert report is not None and report.id.startswith("diag-") and (report.text or report.telemetry)
    assert fault_report(pump, "overheat") is None, "a code outside the fault vocabulary has no report"
    picked = random_fault(random.Random(1), [pump, Machine(dev("machine", kind="conveyor"))])
    assert picked is not None and picked[2] in ("warning", "critical")
    assert random_fault(random.Random(1), []) is None
