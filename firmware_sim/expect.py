"""Expected device states in scenario files, and how a published state is checked against them.

An expectation is a partial state: `{state: ON, brightness: 76}` checks only
those keys. A value may be exact, `{near: 76, tol: 2}` for a number within a
tolerance, `{one_of: [returning, docked]}`, or a nested partial dict
(`color: {hex: "#ff0000"}`). Numbers compare equal across int and float.
"""

from __future__ import annotations

import math
from typing import Any


def _is_near(expected: Any) -> bool:
    return isinstance(expected, dict) and "near" in expected and set(expected) <= {"near", "tol"}


def value_matches(expected: Any, actual: Any) -> bool:
    """One expected value against one published value."""
    if _is_near(expected):
        if isinstance(actual, bool) or not isinstance(actual, (int, float)):
            return False
        return abs(float(actual) - float(expected["near"])) <= float(expected.get("tol", 0)) + 1e-9
    if isinstance(expected, dict) and set(expected) == {"one_of"}:
        return any(value_matches(option, actual) for option in expected["one_of"])
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and value_matches(v, actual[k]) for k, v in expected.items())
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return math.isclose(float(expected), float(actual), abs_tol=1e-6)
    return bool(expected == actual)


def state_matches(expected: dict[str, Any], state: dict[str, Any] | None) -> bool:
    """Every expected key is present in the state with a matching value."""
    return state is not None and all(k in state and value_matches(v, state[k]) for k, v in expected.items())


def mismatches(expected: dict[str, Any], state: dict[str, Any] | None) -> list[str]:
    """Readable `key: wanted X, got Y` lines for a failed check."""
    if state is None:
        return ["no state published"]
    out = []
    for key, wanted in expected.items():
        if key not in state:
            out.append(f"{key}: wanted {describe(wanted)}, missing")
        elif not value_matches(wanted, state[key]):
            out.append(f"{key}: wanted {describe(wanted)}, got {state[key]!r}")
    return out


def describe(expected: Any) -> str:
    if _is_near(expected):
        return f"{expected['near']}±{expected.get('tol', 0)}"
    if isinstance(expected, dict) and set(expected) == {"one_of"}:
        return " or ".join(map(str, expected["one_of"]))
    return repr(expected)
