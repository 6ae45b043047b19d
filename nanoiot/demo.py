"""`nanoiot demo`: a private broker, the gateway with the shipped model, a simulated home and plant, a scenario.

Everything runs in this process except the broker (the `mosquitto` binary on a
free loopback port), and everything is stopped before it returns, so the demo
leaves nothing behind. There is deliberately no embedded-broker fallback: the
maintained pure-Python broker (amqtt) speaks only MQTT 3.1.1, and nanoiot's
clients speak MQTT 5 (response topics, reason codes), so without mosquitto the
demo says how to get it instead of running on something half-compatible.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any, TextIO

import structlog

log = structlog.get_logger()

DEMO_SITE = "demo"
DEMO_FLEETS = ("home", "plant")
CONSOLE_SOURCE = "living_room_speaker"
NO_BROKER = (
    "nanoiot demo needs the mosquitto MQTT broker on PATH: `apt-get install mosquitto` (Debian/Ubuntu), "
    "`dnf install mosquitto` (Fedora), `brew install mosquitto` (macOS); or point the demo at a broker "
    "you run with --broker HOST:PORT. (There is no embedded fallback: the maintained pure-Python broker "
    "speaks only MQTT 3.1.1, and nanoiot uses MQTT 5.)"
)


class DemoError(RuntimeError):
    """Something the demo needs is missing; the message says what to do."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo", help="broker + gateway + simulated home and plant + a scripted scenario",
        description="Start a private broker, the gateway with the shipped model and a simulated fleet, "
        "say the scenario's commands, and print what every device did.",
    )
    parser.add_argument("--scenario", default="demo", help="scenario file or shipped name (default: demo)")
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="say only the first N commands")
    parser.add_argument("--interactive", action="store_true", help="type commands yourself and watch the devices react")
    parser.add_argument("--source", default=CONSOLE_SOURCE, help=f"panel you speak into with --interactive (default {CONSOLE_SOURCE})")
    parser.add_argument("--broker", metavar="HOST:PORT", default=None, help="use this broker instead of starting mosquitto")
    parser.add_argument("--devices", type=int, default=None, help="fleet size (default: the home and plant files as they are)")
    parser.add_argument("--model-dir", type=Path, default=None, help="model directory (default: the shipped model)")
    parser.add_argument("--json", type=Path, default=None, help="also write the full scenario report as JSON")
    parser.add_argument("--log-level", default="warning", choices=("debug", "info", "warning", "error"),
                        help="log events on stderr (default: warnings only, to keep the table readable)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from nanoiot import logs

    logs.configure("auto", args.log_level, stream=sys.stderr)
    try:
        return Demo(args, sys.stdout).run()
    except DemoError as exc:
        print(f"nanoiot demo: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nnanoiot demo: interrupted, everything stopped", file=sys.stderr)
        return 130


class Demo:
    """Starts the parts in order and stops them in reverse, whatever happens in between."""

    def __init__(self, args: argparse.Namespace, out: TextIO) -> None:
        self.args = args
        self.out = out

    def say(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    def run(self) -> int:
        from firmware_sim.connection import ConnectionFailed
        from firmware_sim.fleet import Fleet, load_fleet
        from firmware_sim.scenario import ScenarioError, ScenarioRunner, load_scenario

        started = time.monotonic()
        with ExitStack() as stack:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="nanoiot-demo-")))
            try:
                scenario = None if self.args.interactive else load_scenario(self.args.scenario)
                host, port, broker_name = self._broker(stack)
                spec = load_fleet(DEMO_FLEETS, site=DEMO_SITE, count=self.args.devices)
                registry_path = spec.write_registry(workdir / "registry.json")
                fleet = Fleet(spec, host, port, fleet_id="demo").start()
                stack.callback(fleet.stop)
                self.say(f"broker   {broker_name} on {host}:{port}")
                self.say(f"fleet    {len(spec.devices)} simulated devices (home + plant), site {spec.site}")
                gateway = self._gateway(host, port, registry_path, spec, workdir)
                stack.callback(gateway.stop)
                model = gateway.parser.model_info
                self.say(f"gateway  ready with model {model.name} {model.version}")
                runner = ScenarioRunner(spec.registry(), host, port, site=spec.site)
                runner.connect()
                stack.callback(runner.close)
                if self.args.interactive:
                    return self._interactive(runner)
                assert scenario is not None
                return self._scenario(runner, scenario, started)
            except (ScenarioError, ConnectionFailed, FileNotFoundError, ValueError) as exc:
                raise DemoError(str(exc)) from exc
            finally:
                self.out.flush()

    def _broker(self, stack: ExitStack) -> tuple[str, int, str]:
        from nanoiot.broker import BrokerError, LocalBroker
        from nanoiot.contract import parse_address

        if self.args.broker:
            host, port = parse_address(self.args.broker)
            return host, port, "your broker"
        try:
            broker = LocalBroker()
        except BrokerError as exc:
            raise DemoError(NO_BROKER) from exc
        stack.callback(broker.close)
        try:
            broker.start()
        except BrokerError as exc:
            raise DemoError(f"mosquitto did not start: {exc}") from exc
        return broker.host, broker.port, "mosquitto (private)"

    def _gateway(self, host: str, port: int, registry_path: Path, spec: Any, workdir: Path) -> Any:
        from nanoiot.engine import ModelLoadError
        from nanoiot.gateway.config import ConfigError, load_config
        from nanoiot.gateway.service import Gateway

        overrides = {
            "broker": f"{host}:{port}", "registry": registry_path, "site": spec.site, "gateway_id": "demo",
            "model_dir": self.args.model_dir, "state_dir": workdir,
            # a scripted scenario has nobody to say "yes": dangerous actions run unconfirmed there
            # (docs/security.md); typed commands (--interactive) are confirmed as in production
            "confirm": None if self.args.interactive else {"rules": []},
        }  # the sources (which panel hangs where) come from the registry the fleet wrote
        try:
            gateway = Gateway(load_config(None, overrides)).start()
        except (ModelLoadError, ConfigError, OSError) as exc:
            raise DemoError(f"the gateway cannot start: {exc}") from exc
        if not gateway.wait_ready(30):
            gateway.stop(0)
            raise DemoError(f"the gateway did not connect to {host}:{port} within 30 s")
        return gateway

    def _scenario(self, runner: Any, scenario: Any, started: float) -> int:
        from firmware_sim.report import header, row, summary_text

        count = sum(1 for step in scenario.commands if step.say)
        if self.args.limit is not None:
            count = min(count, self.args.limit)
        self.say(f"scenario {scenario.name}: {count} commands\n")
        self.say(header())
        runner.on_step = lambda step: self.say(row(step))
        report = runner.run(scenario, limit=self.args.limit)
        self.say()
        self.say(summary_text(report.summary))
        if self.args.json:
            self.args.json.write_text(report.model_dump_json(indent=2), encoding="utf-8")
        self.say(f"\ndone in {time.monotonic() - started:.1f} s; broker, gateway and fleet stopped")
        return 1 if report.summary.aborted else 0

    def _interactive(self, runner: Any) -> int:
        from firmware_sim.report import format_actions, format_states

        devices = runner.registry.devices
        self.say(f"\nspeaking into '{self.args.source}'. Type a command (e.g. 'turn on the floor lamp', "
                 "'open the garage door', 'start conveyor b'); 'devices' lists them, 'quit' ends.\n")
        while True:
            try:
                line = input("you> ").strip()
            except EOFError:
                self.say()
                break
            if not line:
                continue
            if line.lower() in ("quit", "exit", "q"):
                break
            if line.lower() == "devices":
                for device in devices:
                    self.say(f"  {device.id:<34} {device.name} ({device.area or 'no area'})")
                continue
            report = runner.say(line, self.args.source)
            runner.wait_settled(report, timeout=10.0)
            latency = report.latency_ms if report.latency_ms is not None else report.answer_ms
            self.say(f"  -> {format_actions(report)}" + (f"   [{latency:.0f} ms]" if latency is not None else ""))
            if report.error and report.status != "ok":
                self.say(f"     {report.error.get('message', '')}")
            if report.states or report.device_errors:
                self.say(f"     {format_states(report)}")
        self.say("bye; broker, gateway and fleet stopped")
        return 0


if __name__ == "__main__":  # pragma: no cover - `nanoiot demo` is the entry point
    from nanoiot.cli import main

    sys.exit(main(["demo", *sys.argv[1:]]))
