"""`nanoiot gateway`: run the MQTT gateway service until SIGTERM/SIGINT.

Exit codes: 0 after a graceful stop, 1 when a gateway thread died, 2 when the
configuration, registry or model cannot be used (the message names what to fix).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

import structlog

from nanoiot import logs

from .config import ConfigError, GatewayConfig, load_config

log = structlog.get_logger()


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "gateway",
        help="the MQTT gateway service (docs/protocol.md)",
        description="Take natural-language commands over MQTT, publish device actions, answer the sender. "
        "Settings: defaults < --config FILE < NANOIOT_* environment < these flags.",
    )
    parser.add_argument("--config", type=Path, default=os.environ.get("NANOIOT_CONFIG") or None,
                        help="TOML config file (see deploy/gateway.example.toml); default $NANOIOT_CONFIG")
    parser.add_argument("--broker", metavar="HOST:PORT", help="MQTT broker (default localhost:1883)")
    parser.add_argument("--site", help="site name in topics (default: the registry's, else 'home')")
    parser.add_argument("--registry", type=Path, help="device registry JSON/YAML (default: the shipped example)")
    parser.add_argument("--gateway-id", help="this gateway's id (client id nanoiot-gateway-<id>)")
    parser.add_argument("--shared-group", metavar="NAME", help="subscribe as $share/NAME/... to split commands between gateways")
    parser.add_argument("--model-dir", type=Path, help="model directory (default: the shipped model)")
    parser.add_argument("--state-dir", type=Path, help="directory for the recent-command journal")
    parser.add_argument("--log-format", choices=("auto", "json", "console"))
    parser.add_argument("--log-level", choices=("debug", "info", "warning", "error"))
    parser.add_argument("--print-config", action="store_true", help="print the merged configuration as JSON and exit")
    parser.set_defaults(func=run)


def config_from_args(args: argparse.Namespace) -> GatewayConfig:
    overrides: dict[str, Any] = {
        "broker": args.broker,
        "site": args.site,
        "registry": args.registry,
        "gateway_id": args.gateway_id,
        "shared_group": args.shared_group,
        "model_dir": args.model_dir,
        "state_dir": args.state_dir,
        "log_format": args.log_format,
        "log_level": args.log_level,
    }
    return load_config(args.config, overrides)


def run(args: argparse.Namespace) -> int:
    try:
        config = config_from_args(args)
    except ConfigError as exc:
        print(f"nanoiot gateway: {exc}", file=sys.stderr)
        return 2
    if args.print_config:
        print(config.model_dump_json(indent=2))
        return 0
    logs.configure(config.log_format, config.log_level)

    from nanoiot.engine import ModelLoadError
    from nanoiot.registry import RegistryError

    from .service import Gateway

    stop = threading.Event()
    try:
        gateway = Gateway(config)
    except (ConfigError, RegistryError, ModelLoadError, OSError) as exc:
        log.error("gateway.start_failed", error=str(exc))
        print(f"nanoiot gateway: {exc}", file=sys.stderr)
        return 2

    def on_signal(signum: int, _frame: object) -> None:
        log.info("gateway.signal", signal=signal.Signals(signum).name)
        gateway.notifier.stopping("stopping")
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        return gateway.run_until(stop)
    except ModelLoadError as exc:
        log.error("gateway.start_failed", error=str(exc))
        print(f"nanoiot gateway: {exc}", file=sys.stderr)
        return 2
