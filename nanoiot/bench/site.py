"""Sentences and sites for the bench: distinct commands, a repeating home mix, and a large generated registry."""

from __future__ import annotations

import random
from typing import Any

from nanoiot.registry import Registry

# (name said, domain) of what one room of a large site holds
ROOM = [("ceiling light", "light"), ("desk lamp", "light"), ("wall plug", "switch"), ("blinds", "cover"),
        ("thermostat", "climate"), ("fan", "fan"), ("door lock", "lock"), ("vent valve", "valve"),
        ("conveyor", "machine"), ("air sensor", "sensor")]
AREA_KINDS = ["office", "lab", "workshop", "store room", "meeting room", "warehouse", "bay", "studio", "classroom", "ward"]
TEMPLATES = {
    "light": ["turn on the {name}", "switch off the {name} in the {area}", "dim the {name} to {n} percent"],
    "switch": ["turn off the {name} in the {area}", "switch on the {name}"],
    "cover": ["close the {name} in the {area}", "open the {area} {name}"],
    "climate": ["set the {name} in the {area} to {t} degrees"],
    "fan": ["turn on the {name} in the {area}"],
    "lock": ["lock the {name} in the {area}", "is the {name} in the {area} locked"],
    "valve": ["open the {name} in the {area}"],
    "machine": ["stop the {name} in the {area}", "start the {name} in the {area}"],
    "sensor": ["what does the {name} in the {area} say"],
    "vacuum": ["start the {name}", "send the {name} to the {area}"],
}


def large_registry(devices: int) -> Registry:
    """`devices` devices, ten to a room, in rooms named like a real large site ("office 12", "lab 3")."""
    rooms = (devices + len(ROOM) - 1) // len(ROOM)
    out: list[dict[str, Any]] = []
    for r in range(rooms):
        area = f"{AREA_KINDS[r % len(AREA_KINDS)]} {r // len(AREA_KINDS) + 1}"
        for name, domain in ROOM:
            if len(out) == devices:
                break
            object_id = f"{area}_{name}".replace(" ", "_")
            out.append({"id": f"{domain}.{object_id}", "name": f"{area} {name}", "aliases": [name], "area": area, "domain": domain})
    return Registry.model_validate({"site": "large", "devices": out})


def large_site_commands(registry: Registry, n: int, seed: int = 7) -> list[tuple[str, str | None]]:
    """(sentence, area of the speaking panel or None) for devices of `registry`; a third say only "the lights"."""
    rng = random.Random(seed)
    out: list[tuple[str, str | None]] = []
    while len(out) < n:
        device = rng.choice(registry.devices)
        if rng.random() < 0.3:
            out.append((rng.choice(["turn off the lights", "turn on the lights", "close the blinds"]), device.area))
            continue
        template = rng.choice(TEMPLATES[device.domain])
        name = device.aliases[0] if "{area}" in template else device.name  # "the desk lamp in lab 3", "the lab 3 desk lamp"
        said = template.format(name=name, area=device.area, n=rng.randrange(10, 90, 10), t=rng.randrange(17, 24))
        out.append((said, None if "{area}" in template else device.area))  # no area said: the panel's room
    return out


def distinct_sentences(n: int, seed: int = 123) -> list[str]:
    """`n` different sentences the model was not trained on (held-out templates)."""
    from nanoiot.train.pipeline import held_out_set

    seen: dict[str, None] = {}
    size = n
    while len(seen) < n:
        for text, _ in held_out_set(size, seed=seed):
            seen.setdefault(text)
        size, seed = size * 2, seed + 1
    return list(seen)[:n]


def home_mix(registry: Registry, distinct: int = 100, seed: int = 5) -> list[str]:
    """About `distinct` commands a home says every day, cycled: the repeating mix."""
    rng = random.Random(seed)
    said = []
    for device in registry.devices:
        name = device.aliases[0] if device.aliases else device.name
        said += [t.format(name=name, area=device.area or "house", n=50, t=21) for t in TEMPLATES.get(device.domain, [])]
    said += ["turn off the lights", "turn on the lights", "what's the temperature", "good night", "what time is it"]
    rng.shuffle(said)
    return list(dict.fromkeys(said))[:distinct]
