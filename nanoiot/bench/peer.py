"""The peer: Home Assistant's local sentence matcher (hassil + home-assistant-intents), given our registry.

Its entities are our devices (names and aliases, with their domain as context) and
its areas our areas, as Home Assistant's default conversation agent would expose them.
A match becomes actions in our result format so the shared SLURP scorer can label it.
Needs the `bench` extra; evaluation only.
"""

from __future__ import annotations

import time
from typing import Any

from nanoiot.registry import Registry

ON_OFF = {"HassTurnOn": "turn_on", "HassTurnOff": "turn_off"}


class HassMatcher:
    def __init__(self, registry: Registry, language: str = "en") -> None:
        from hassil import Intents, TextSlotList
        from home_assistant_intents import get_intents

        self.registry = registry
        self.intents = Intents.from_dict(get_intents(language))
        names = [(n, d.id, {"domain": d.domain}) for d in registry.devices for n in (d.name, *d.aliases)]
        self.slot_lists = {"name": TextSlotList.from_tuples(names), "area": TextSlotList.from_strings(sorted(registry.areas)),
                           "floor": TextSlotList.from_strings([])}

    def recognize(self, text: str) -> Any:
        from hassil import recognize

        return recognize(text, self.intents, slot_lists=self.slot_lists)

    def result(self, text: str) -> dict[str, Any]:
        """What the match asks for, as a nanoiot result dict (status ok with actions, or none)."""
        match = self.recognize(text)
        if match is None:
            return {"status": "not_understood", "actions": []}
        slots = {k: v.value for k, v in match.entities.items()}
        intent = match.intent.name
        targets = self._targets(slots)
        domains = {self.registry.get(t).domain for t in targets if self.registry.get(t)}  # type: ignore[union-attr]
        domain = slots.get("domain") or (domains.pop() if len(domains) == 1 else None)
        if intent in ON_OFF and domain:
            service = f"{domain}.{ON_OFF[intent]}"
            if domain == "vacuum":
                service = "vacuum.start" if intent == "HassTurnOn" else "vacuum.stop"
            return _ok(service, targets, {})
        if intent == "HassLightSet":
            data: dict[str, Any] = {}
            if "brightness" in slots:
                data["brightness_pct"] = slots["brightness"]
            if "color" in slots:
                data["color_name"] = slots["color"]
            if "temperature" in slots or "color_temperature" in slots:
                data["color_temp_kelvin"] = slots.get("temperature") or slots.get("color_temperature")
            return _ok("light.turn_on", targets, data)
        if intent == "HassVacuumStart":
            return _ok("vacuum.start", targets, {})
        return _ok(f"hass.{intent}", targets, {})

    def _targets(self, slots: dict[str, Any]) -> list[str]:
        if "name" in slots:
            return [str(slots["name"])]
        domain, area = slots.get("domain"), slots.get("area")
        return [d.id for d in self.registry.devices if (domain is None or d.domain == domain) and (area is None or d.area == area)]


def _ok(service: str, targets: list[str], data: dict[str, Any]) -> dict[str, Any]:
    return {"status": "ok", "actions": [{"service": service, "targets": targets, "data": data}]}


def latency_ms(matcher: HassMatcher, sentences: list[str], repeat: int = 1) -> list[float]:
    """Per-sentence match time in ms, each sentence `repeat` times."""
    times = []
    for _ in range(repeat):
        for text in sentences:
            start = time.perf_counter()
            matcher.recognize(text)
            times.append((time.perf_counter() - start) * 1000)
    return times
