"""`python -m firmware_sim fleet|scenario|registry`: run simulated devices, drive them, or write their registry."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import uuid
from pathlib import Path

from firmware_sim import topics
from firmware_sim.connection import ConnectionFailed
from firmware_sim.fleet import Fleet, load_fleet
from firmware_sim.messages import ControlRequest
from firmware_sim.report import header, row, summary_text
from firmware_sim.scenario import ScenarioError, ScenarioRunner, load_scenario
from nanoiot import logs
from nanoiot.contract import parse_address
from nanoiot.registry import RegistryError, default_registry_path, load_registry

DEMO_FLEETS = ["home", "plant"]


def configure_logging(level: str = "info") -> None:
    """Key-value events on stderr (nanoiot's format), so stdout stays the report."""
    logs.configure("auto", level, stream=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m firmware_sim", description=__doc__)
    parser.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    sub = parser.add_subparsers(dest="command", required=True)

    fleet = sub.add_parser("fleet", help="run simulated devices until interrupted")
    fleet.add_argument("--broker", required=True, help="HOST:PORT")
    _fleet_args(fleet)
    fleet.add_argument("--fleet-id", default="fleet", help="names this process's Last Will topic")
    fleet.add_argument("--telemetry-s", type=float, default=5.0, help="telemetry interval, 0 = off")
    fleet.add_argument("--fault-rate", type=float, default=0.0, metavar="PER_MINUTE",
                       help="inject random faults into random machines at this rate (each publishes a diagnostic report)")
    fleet.add_argument("--seed", type=int, default=None, help="seed for random faults and their reports")
    fleet.set_defaults(func=run_fleet)

    registry = sub.add_parser("registry", help="write the registry a fleet would run, and exit")
    _fleet_args(registry)
    registry.set_defaults(func=run_registry)

    scenario = sub.add_parser("scenario", help="say a scenario's commands through the gateway, check device states")
    scenario.add_argument("file", help="scenario YAML (or a shipped name: demo)")
    scenario.add_argument("--broker", required=True, help="HOST:PORT")
    scenario.add_argument("--registry", type=Path, default=None, help="the registry the fleet wrote (default: the shipped example)")
    scenario.add_argument("--site", default=None, help="default: the registry's")
    scenario.add_argument("--prefix", default=topics.PREFIX)
    scenario.add_argument("--limit", type=int, default=None, help="run only the first N commands")
    scenario.add_argument("--no-reset", action="store_true", help="keep the devices' current state instead of resetting the fleet")
    scenario.add_argument("--json", type=Path, default=None, help="also write the full report as JSON here")
    scenario.set_defaults(func=run_scenario)

    fault = sub.add_parser("fault", help="test bench: `fault inject conveyor_b overtemperature`")
    fault.add_argument("action", choices=["inject"])
    fault.add_argument("device", help="device id or object id, e.g. conveyor_b")
    fault.add_argument("fault", help="fault code, e.g. overtemperature")
    fault.add_argument("--severity", choices=["warning", "critical"], default=None)
    fault.add_argument("--broker", required=True, help="HOST:PORT")
    fault.add_argument("--registry", type=Path, default=None, help="the registry the fleet wrote (default: the shipped example)")
    fault.add_argument("--site", default=None, help="default: the registry's")
    fault.set_defaults(func=run_fault)
    return parser


def _fleet_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--fleet", action="append", default=None, help="fleet file or shipped name (home, plant); repeatable; default both")
    parser.add_argument("--devices", type=int, default=None, help="number of devices (copies of the fleet as further units beyond its size)")
    parser.add_argument("--site", default=None, help="default: the first fleet file's")
    parser.add_argument("--z2m-base", default=topics.Z2M_BASE, help="Zigbee2MQTT base topic")
    parser.add_argument("--prefix", default=topics.PREFIX, help="nanoiot topic prefix")
    parser.add_argument("--registry-out", type=Path, default=None, help="where to write the registry (default: ./<site>-registry.json)")


def _spec(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    spec = load_fleet(args.fleet or DEMO_FLEETS, site=args.site, count=args.devices, z2m_base=args.z2m_base)
    path = spec.write_registry(args.registry_out or Path(f"{spec.site}-registry.json"))
    print(f"registry for {len(spec.devices)} devices (site {spec.site}) written to {path}", file=sys.stderr)
    return spec


def run_registry(args: argparse.Namespace) -> int:
    _spec(args)
    return 0


def run_fleet(args: argparse.Namespace) -> int:
    spec = _spec(args)
    host, port = parse_address(args.broker)
    fleet = Fleet(spec, host, port, fleet_id=args.fleet_id, prefix=args.prefix, telemetry_s=args.telemetry_s,
                  fault_rate=max(0.0, args.fault_rate), seed=args.seed)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    fleet.start()
    print(f"fleet {args.fleet_id}: {len(fleet.devices)} devices online on {args.broker}, site {spec.site}", file=sys.stderr)
    try:
        stop.wait()
    finally:
        fleet.stop()
    return 0


def run_scenario(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.file)
    registry = load_registry(args.registry or default_registry_path())
    host, port = parse_address(args.broker)

    def show(step):  # type: ignore[no-untyped-def]
        print(row(step), flush=True)

    with ScenarioRunner(registry, host, port, site=args.site, prefix=args.prefix, on_step=show) as runner:
        print(header(), flush=True)
        report = runner.run(scenario, limit=args.limit, reset=not args.no_reset)
    print(summary_text(report.summary))
    if args.json:
        args.json.write_text(report.model_dump_json(indent=2), encoding="utf-8")
    return 0 if report.summary.passed == report.summary.commands and not report.summary.aborted else 1


def run_fault(args: argparse.Namespace) -> int:
    """Ask the fleet that owns the device to trip the fault (and publish its diagnostic report)."""
    registry = load_registry(args.registry or default_registry_path())
    device = next((d for d in registry.devices if args.device in (d.id, d.object_id)), None)
    if device is None:
        raise ValueError(f"no device {args.device!r} in the registry")
    host, port = parse_address(args.broker)
    request = ControlRequest(id=f"fault-{uuid.uuid4().hex[:8]}", device=device.id, fault=args.fault, severity=args.severity)
    with ScenarioRunner(registry, host, port, site=args.site) as runner:
        acks = runner.control(request)
    if not acks:
        print(f"firmware_sim: no fleet owns {device.id} (no control ack)", file=sys.stderr)
        return 1
    print(acks[0].model_dump_json())
    return 0 if not acks[0].error else 1


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(args.log_level)
    try:
        return int(args.func(args))
    except (ScenarioError, RegistryError, ConnectionFailed, FileNotFoundError, ValueError) as exc:
        print(f"firmware_sim: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
