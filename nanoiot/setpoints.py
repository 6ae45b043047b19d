"""A change by degrees ("a couple of degrees warmer"): from the setpoint each thermostat reports, never a guess."""

from __future__ import annotations

import re
from typing import Callable

from nanoiot.resolver import ResolveError
from nanoiot.schema import Action
from nanoiot.sentence import HEAT_STEP, Said
from nanoiot.vocabulary import ValueRejected, check_data

Setpoints = Callable[[str], "float | None"]  # device id -> the setpoint it has now, None where not known
STAND_IN_SETPOINT = 20  # resolves a relative change's frames; by_degrees replaces it
RAISE = re.compile(r"\b(?:warmer|hotter|higher|up|raise\w*|increase\w*|turn up|bump\w*(?!(?: \S+){0,3} down\b)"  # "bump it down"
                   r"|too cold|too chilly|freezing)\b")
LOWER = re.compile(r"\b(?:cooler|colder|lower\w*|down|decrease\w*|drop\w*|reduce\w*|too warm|too hot|roasting|sweltering)\b")
STEP_DEGREES = 1.0  # "turn up the heat" with no amount: one degree, as a thermostat's up button does
FEW = {"a": 1.0, "a couple": 2.0, "a couple of": 2.0, "couple": 2.0, "couple of": 2.0, "a few": 3.0, "few": 3.0}


def degrees_change(phrase: str, text: str) -> float | None:
    """The signed change a `relative_degrees` phrase of `text` asks for: "a couple of degrees warmer" -> +2.

    None when the amount is vague ("some degrees warmer") or the direction is not clear: a guess is not a setpoint.
    """
    amount = re.search(r"(\d+(?:\.\d+)?|a couple of|a couple|couple of|couple|a few|few|a) (?:more )?degrees?", phrase)
    up, down = bool(RAISE.search(text)), bool(LOWER.search(text))
    if (amount is None and not HEAT_STEP.fullmatch(phrase)) or up == down:
        return None
    value = STEP_DEGREES if amount is None else float(amount.group(1)) if amount.group(1)[0].isdigit() else FEW[amount.group(1)]
    return value if up else -value


def by_degrees(actions: list[Action], said: Said, text: str, setpoints: Setpoints | None) -> tuple[list[Action], ResolveError | None]:
    """"a couple of degrees warmer": each thermostat meant goes from the setpoint it has now by what was said.

    Whatever temperature the model wrote is a guess and is dropped. Without a known setpoint
    (no state from the device yet, or `nanoiot parse`, which has none) it is refused, never guessed.
    """
    phrase = said.relative_degrees or ""
    change = degrees_change(phrase, text)
    if change is None:
        return [], ResolveError("unsupported", f"by how much is {phrase!r}? say the degrees, or the temperature to set")
    if not actions or any(not a.service.startswith("climate.") for a in actions):
        return [], ResolveError("unsupported", f"{phrase!r} is a change of a thermostat's setpoint, and this names none")
    changed: list[Action] = []
    for target in dict.fromkeys(t for a in actions for t in a.targets):
        now = setpoints(target) if setpoints else None
        if now is None:
            return [], ResolveError("unsupported", f"{phrase!r} is a change from the current setpoint, "
                                    "which I do not know here: say the temperature to set")
        try:
            data = check_data("climate.set_temperature", {"temperature": round(now + change, 1)})
        except ValueRejected as exc:
            return [], ResolveError("out_of_range", f"{target} would go from {now:g} to {now + change:g}: {exc}")
        changed.append(Action(service="climate.set_temperature", targets=[target], data=data))
    return changed, None
