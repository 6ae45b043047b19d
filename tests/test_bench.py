"""`nanoiot bench --mqtt`: the gateway measured through a real broker answers every command it sends."""

from __future__ import annotations


from support import mosquitto_missing, needs

from nanoiot.gateway.bench import mqtt_figures
from nanoiot.parser import CommandParser
from nanoiot.registry import default_registry_path, load_registry


@needs(mosquitto_missing())
def test_mqtt_bench_answers_every_command_of_its_burst() -> None:
    path = default_registry_path()
    parser = CommandParser.load(load_registry(path))
    figures = mqtt_figures(parser, path, ["turn off the kitchen lights", "what's the weather like", "start conveyor b"], burst=60)
    assert figures["mqtt_burst_all_answered"] is True, figures
    assert figures["mqtt_burst_commands_per_s"] > 0 and 0 < figures["mqtt_round_trip_ms_median"] <= figures["mqtt_round_trip_ms_p99"]
