"""`nanoiot diagnose "TEXT" [--telemetry JSON] [--kind pump]`: one fault report from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("diagnose", help="diagnose a device fault report (text and/or telemetry)")
    parser.add_argument("text", nargs="?", default=None, help='the report: free text or a firmware log line')
    parser.add_argument("--telemetry", default=None, help='readings as JSON, e.g. \'{"temperature_c": 92}\'')
    parser.add_argument("--kind", default=None, help="device kind for the limits (pump, conveyor, lock, ...)")
    parser.add_argument("--device", default=None, help="registry id of the reporting device (needs --registry)")
    parser.add_argument("--registry", type=Path, default=None, help="device registry (JSON or YAML)")
    parser.add_argument("--policy", type=Path, default=None, help="site policy TOML: shows what the gateway would take by itself (the CLI sends nothing)")
    parser.add_argument("--model", type=Path, default=None, help="diagnostic model directory (default: shipped)")
    parser.set_defaults(func=run_diagnose)


def run_diagnose(args: argparse.Namespace) -> int:
    """Print the Diagnosis (or the DiagnosticError) as JSON; exit 0, or 2 on bad input.

    Logging is configured by `nanoiot.cli.main` (events on stderr, stdout stays JSON).
    """
    from nanoiot.diagnostics.evaluation import KIND_DOMAINS, device_for
    from nanoiot.diagnostics.policy import PolicyError
    from nanoiot.diagnostics.service import DiagnosticPayloadError, DiagnosticService, unknown_kind_message
    from nanoiot.diagnostics.thresholds import canonical_kind
    from nanoiot.engine import ModelLoadError
    from nanoiot.registry import RegistryError, load_registry

    payload: dict[str, object] = {}
    if args.text:
        payload["text"] = args.text
    if args.telemetry:
        try:
            payload["telemetry"] = json.loads(args.telemetry)
        except json.JSONDecodeError as exc:
            print(f"nanoiot diagnose: --telemetry is not JSON: {exc}", file=sys.stderr)
            return 2
    device = None
    try:
        if args.device:
            if not args.registry:
                print("nanoiot diagnose: --device needs --registry", file=sys.stderr)
                return 2
            device = load_registry(args.registry).get(args.device)
            if device is None:
                print(f"nanoiot diagnose: no device {args.device!r} in {args.registry}", file=sys.stderr)
                return 2
        elif args.kind:
            kind = canonical_kind(args.kind)
            if kind is None:
                print(f"nanoiot diagnose: {unknown_kind_message(args.kind)}", file=sys.stderr)
                return 2
            device = device_for(kind).model_copy(update={"id": f"{KIND_DOMAINS[kind]}.{kind}"})
        service = DiagnosticService.load(args.policy, args.model)
    except (RegistryError, PolicyError, ModelLoadError) as exc:
        print(f"nanoiot diagnose: {exc}", file=sys.stderr)
        return 2
    try:
        diagnosis, _ = service.diagnose(device, json.dumps(payload).encode(), device_id=args.device)
    except DiagnosticPayloadError as exc:
        print(service.error_reply(exc, args.device).model_dump_json())
        return 2
    print(diagnosis.model_dump_json(indent=2))
    return 0
