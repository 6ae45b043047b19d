"""YAML that keeps `ON`/`OFF`/`yes`/`no` as strings (YAML 1.2 booleans only: true/false).

Device states are written `state: ON` in fleet and scenario files, as Zigbee2MQTT
publishes them; PyYAML's YAML 1.1 resolver would turn that into True.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml


class _Loader(yaml.SafeLoader):
    pass


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def load(path: str | Path) -> Any:
    """Parse a YAML or JSON file (by suffix)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=_Loader)  # noqa: S506 - safe loader subclass
