"""JSON Schemas of the gateway's wire messages, exported from the pydantic models the code uses.

    python -m nanoiot.gateway.schemas                          # print them
    python -m nanoiot.gateway.schemas --write docs/protocol.md  # refresh the generated section
    python -m nanoiot.gateway.schemas --check docs/protocol.md  # exit 1 if it is stale

The document keeps its generated part between two marker comments, so the prose
around it is hand-written and the schemas cannot drift from the code (a test checks).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pydantic import BaseModel

from nanoiot.contract import Availability, DeviceCommand, Zigbee2MQTTCommand
from nanoiot.schema import CommandRequest, CommandResult

BEGIN = "<!-- BEGIN GENERATED SCHEMAS: python -m nanoiot.gateway.schemas --write docs/protocol.md -->"
END = "<!-- END GENERATED SCHEMAS -->"

WIRE_MODELS: dict[str, tuple[type[BaseModel], str]] = {
    "CommandRequest": (CommandRequest, "a command, JSON form, on `<prefix>/<site>/command/<source>`"),
    "CommandResult": (CommandResult, "the answer, on `<prefix>/<site>/result/<source>` or the reply topic"),
    "DeviceCommand": (DeviceCommand, "what a nanoiot-style device receives on its command topic"),
    "Zigbee2MQTTCommand": (Zigbee2MQTTCommand, "what a Zigbee2MQTT-style device receives on `<base>/<object_id>/set`"),
    "Availability": (Availability, "retained on `.../availability` (gateway and devices)"),
}


def schemas() -> dict[str, dict]:
    return {name: model.model_json_schema() for name, (model, _) in WIRE_MODELS.items()}


def render() -> str:
    """The generated section, markers included."""
    parts = [BEGIN, ""]
    for name, schema in schemas().items():
        parts += [f"### {name}", "", WIRE_MODELS[name][1][0].upper() + WIRE_MODELS[name][1][1:] + ".", "",
                  "```json", json.dumps(schema, indent=2, sort_keys=True), "```", ""]
    parts.append(END)
    return "\n".join(parts)


def refreshed(document: str) -> str:
    """`document` with its generated section replaced (appended when it has none)."""
    start, end = document.find(BEGIN), document.find(END)
    if start < 0 or end < start:
        return document.rstrip("\n") + "\n\n" + render() + "\n"
    return document[:start] + render() + document[end + len(END):]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nanoiot.gateway.schemas", description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", type=Path, metavar="DOC")
    group.add_argument("--check", type=Path, metavar="DOC")
    args = parser.parse_args(argv)
    if args.write:
        args.write.write_text(refreshed(args.write.read_text(encoding="utf-8")), encoding="utf-8")
        return 0
    if args.check:
        text = args.check.read_text(encoding="utf-8")
        if refreshed(text) != text:
            print(f"{args.check} is stale: run python -m nanoiot.gateway.schemas --write {args.check}", file=sys.stderr)
            return 1
        return 0
    print(json.dumps(schemas(), indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
