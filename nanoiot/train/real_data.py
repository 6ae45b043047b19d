"""Real crowd-written utterances from `../shared/data/` mapped onto model targets.

HWU64 (Liu et al., IWSDS 2019) and the SLURP devel split (Bastianelli et al.,
EMNLP 2020), both CC BY 4.0. Each sentence's intent label (and, for HWU64, its
slot annotation) becomes the frame the model should write. Never reads
`../shared/eval/`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from nanoiot.normalize import normalize
from nanoiot.train import lexicon as lx
from nanoiot.vocabulary import COLOR_NAMES, Frame, serialize

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"

ROOM_WORDS = (
    "kitchen", "living room", "bedroom", "bed room", "bathroom", "hall", "hallway", "garage", "dining room",
    "porch", "den", "game room", "patio", "mud room", "front room", "playroom", "media room", "garden",
    "lobby", "balcony", "office", "master bedroom", "lounge", "study", "basement", "attic", "nursery",
)
MOOD_WARM = ("warm", "romantic", "soft", "dark", "cozy", "cosy", "relax", "sleep", "calm", "dim", "movie", "watching", "night", "evening", "candle")
MOOD_COOL = ("cool", "daylight", "bright", "work", "read", "study", "focus", "morning")
PLUG_WORDS = ("plug", "socket", "outlet", "wemo", "switch")


def _slots(annotation: str | None) -> dict[str, str]:
    if not annotation:
        return {}
    return {key: value.strip() for key, value in re.findall(r"\[(\w+) : ([^\]]+)\]", annotation)}


def _area(slots: dict[str, str], text: str) -> str | None:
    place = normalize(slots.get("house_place", ""))
    candidates = [place] if place else []
    candidates.append(text)
    for candidate in candidates:
        for room in sorted(ROOM_WORDS, key=len, reverse=True):
            if re.search(rf"\b{room}s?\b", candidate):
                if candidate is text and not re.search(rf"\b(in|of|on|at|for|the|my|our) (the )?{room}", text):
                    continue
                return normalize(room.replace("bed room", "bedroom"))
    return None


def _color(slots: dict[str, str], text: str) -> dict[str, object]:
    raw = normalize(slots.get("color_type", ""))
    for source in (raw, text):
        for word in source.split():
            stem = re.sub(r"(ish|er)$", "", word)
            if word in COLOR_NAMES or stem in COLOR_NAMES:
                return {"color_name": word if word in COLOR_NAMES else stem}
    source = raw or text
    if any(m in source for m in MOOD_COOL):
        return {"color_temp_kelvin": 5000}
    if any(m in source for m in MOOD_WARM) or not raw:
        return {"color_temp_kelvin": 2700}
    return {"color_temp_kelvin": 4000}


def _brightness(text: str, sign: int) -> dict[str, object]:
    if m := re.search(r"\bto (\d+) percent", text):
        return {"brightness_pct": int(m.group(1))}
    if m := re.search(r"\bby (\d+) percent", text):
        return {"brightness_step_pct": sign * int(m.group(1))}
    if re.search(r"\bto (full|max|maximum|the max)", text):
        return {"brightness_pct": 100}
    if re.search(r"\bto (lowest|the lowest|minimum|min)", text):
        return {"brightness_pct": 1}
    if re.search(r"\bby half\b", text):
        return {"brightness_step_pct": sign * 50}
    if re.search(r"\bto half\b", text):
        return {"brightness_pct": 50}
    return {"brightness_step_pct": sign * 20}


def _name(slots: dict[str, str], domain: str) -> str | None:
    device = normalize(slots.get("device_type", ""))
    if not device:
        return None
    generic = set(lx.DOMAIN_WORDS[domain]) | {"all", "the", "my", "light", "lights", "lamp"}
    if domain == "vacuum" or all(word in generic for word in device.split()):
        return None
    return device


def frame_for(label: str, text: str, annotation: str | None = None) -> list[Frame]:
    """The frames a real sentence with this label should produce ([] for `none`)."""
    slots = _slots(annotation)
    area = _area(slots, text)
    if label == "none":
        return []
    if label.startswith("light_"):
        name = _name(slots, "light")
        data: dict[str, object] = {}
        service = "light.turn_off" if label == "light_off" else "light.turn_on"
        if label == "light_dim":
            data = _brightness(text, -1)
        elif label == "light_up":
            data = _brightness(text, +1)
        elif label == "light_color":
            data = _color(slots, text)
        return [Frame(service, name=name, area=area, data=data)]
    if label == "vacuum_start":
        return [Frame("vacuum.start")]
    if label == "coffee":
        return [Frame("switch.turn_on", name="coffee maker")]
    if label in ("plug_on", "plug_off"):
        name = _name(slots, "switch")
        if name is None:
            name = next((w for w in PLUG_WORDS if re.search(rf"\b{w}", text)), "plug")
        return [Frame("switch.turn_on" if label == "plug_on" else "switch.turn_off", name=name, area=area)]
    raise ValueError(f"unknown label {label!r}")


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


OOD_DEV_EVERY = 10  # every 10th HWU64 out-of-domain sentence is kept out of training to choose models on
IOT_DEV_EVERY = 6  # every 6th real smart-home command (HWU64 and SLURP devel) likewise, since model 2.0


def real_pairs(data_dir: Path = SHARED_DATA) -> dict[str, list[tuple[str, str]]]:
    """{"iot", "iot_dev", "ood", "ood_dev"}: normalised (text, target) pairs from the trainable data.

    "ood_dev" is real out-of-domain speech the model never trains on: a generator
    template that makes chit-chat look like a command shows there, not only on the
    evaluation set. "iot_dev" is real smart-home speech kept out of training in the
    same way, to choose models on (the SLURP test set only reports).
    """
    out: dict[str, list[tuple[str, str]]] = {"iot": [], "iot_dev": [], "ood": [], "ood_dev": []}
    for name in ("hwu64/iot.jsonl", "slurp/iot_devel.jsonl"):
        for i, row in enumerate(load_jsonl(data_dir / name)):
            text = normalize(row["text"])
            pair = (text, serialize(frame_for(row["label"], text, row.get("annotation"))))
            out["iot_dev" if i % IOT_DEV_EVERY == 0 else "iot"].append(pair)
    for name in ("hwu64/ood.jsonl", "slurp/ood_devel.jsonl"):
        for i, row in enumerate(load_jsonl(data_dir / name)):
            dev = name.startswith("hwu64") and i % OOD_DEV_EVERY == 0
            out["ood_dev" if dev else "ood"].append((normalize(row["text"]), "none"))
    return out
