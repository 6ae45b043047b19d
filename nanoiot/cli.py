"""`nanoiot` command line: each subcommand lives in the module that owns the feature.

A feature module exposes `register(subparsers)`, adding its parser and setting
`func(args) -> int`; this file only wires them together.
"""

from __future__ import annotations

import argparse
import importlib
import sys

FEATURES = (
    "nanoiot.commands",  # parse, eval, bench
    "nanoiot.train.cli",  # train
    "nanoiot.gateway.cli",  # gateway
    "nanoiot.gateway.chaos",  # chaos
    "nanoiot.demo",  # demo
    "nanoiot.diagnostics.cli",  # diagnose
    "nanoiot.integrations.wyoming_service",  # wyoming
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nanoiot", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module_name in FEATURES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue  # feature not installed in this build
            raise
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from nanoiot.logs import configure

    if args.command not in ("gateway", "demo"):  # those configure logging from their own settings
        configure(stream=sys.stderr)  # stdout carries results (parse --jsonl, eval); logs never mix in
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
