"""The diagnostic model's input and output strings, shared by the corpus and the runtime.

Input:  `<kind> | <cleaned report text or -> | <field>=<level> ...`
        e.g. `pump | bearing temperature 92c rising | temperature_c=critical_high vibration_mm_s=ok`
Output: `fault=<fault> severity=<severity> evidence=<phrase>|<phrase>|<field>`
        e.g. `fault=overtemperature severity=critical evidence=bearing temperature 92c|temperature_c`

The model sees reading levels from `thresholds`, not raw numbers: comparing
numbers with per-kind limits is code's job, naming the fault behind a pattern
of text and levels is the model's. Evidence phrases are copied from the cleaned
text, so the runtime can check that every phrase really is in the report.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from nanoiot.diagnostics.faults import FAULTS, SEVERITIES

MAX_WORDS = 48  # of report text the model reads; readings are taken from all of it
_SYSLOG_PRI = re.compile(r"^\s*<\d{1,3}>")
_ISO_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?")
_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\b")
_SYSLOG_DATE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\s+\d{1,2}\b")
_EPOCH = re.compile(r"\b(?:ts|time|t)=\d{9,}(?:\.\d+)?\b|\b\d{10,13}\b")
_ESP_LEVEL = re.compile(r"(?:^|\s)([ewidv]) \(\d+\)")
_ESP_WORDS = {"e": "error", "w": "warning", "i": "info", "d": "debug", "v": "verbose"}
_PID = re.compile(r"\[\d+\]")
_NOT_WORD = re.compile(r"[^a-z0-9_.\-\s]")
_LOOSE_DOT = re.compile(r"(?<!\d)\.|\.(?!\d)")
_LOOSE_DASH = re.compile(r"-(?!\d)|(?<=[a-z0-9_.])-")
_SPACES = re.compile(r"\s+")
# words that say a severity by themselves; the corpus labels agree with them, the runtime guard uses them
MARKERS: dict[str, frozenset[str]] = {
    "critical": frozenset({"crit", "critical", "alarm", "fatal", "shutdown", "emergency", "tripped", "severe", "immediately"}),
    "warning": frozenset({"warn", "warning", "minor", "soon", "approaching"}),
}
CLEARING = frozenset({"cleared", "reset", "resolved", "recovered", "restored", "normal", "nominal", "passed"})
# words that say something is wrong without saying how badly; a `none` cannot stand against them
PROBLEM_WORDS = frozenset({
    "error", "err", "fault", "faulty", "failed", "failure", "fail", "leak", "leaking", "broken", "defect",
    "defective", "malfunction", "overheating", "overload", "jammed", "stuck", "stalled", "blocked", "clogged",
})
NEGATIONS = frozenset({"no", "without", "not"})
_TARGET = re.compile(r"^fault=(\w+) severity=(\w+)(?: evidence=(.*))?$")


def clean_text(text: str) -> str:
    """Lower case, no timestamps/pids/punctuation, units kept readable: `T=92.4°C` -> `t 92.4c`.

    Negative numbers keep their sign (a DS18B20 reading -127 C is a sensor
    failure, not 127 C), decimal points stay, log levels become words.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    text = _SYSLOG_PRI.sub(" ", text)
    text = _ISO_STAMP.sub(" ", text)
    text = _EPOCH.sub(" ", text)
    text = _TIME.sub(" ", text)
    text = _SYSLOG_DATE.sub(" ", text)
    text = _ESP_LEVEL.sub(lambda m: " " + _ESP_WORDS[m.group(1)] + " ", text)
    text = _PID.sub(" ", text)
    text = re.sub(r"°\s*c\b", "c", text)
    text = re.sub(r"°\s*f\b", "f", text)
    text = text.replace("°", " degrees ").replace("%", " percent ").replace("|", " ")
    text = _NOT_WORD.sub(" ", text)
    text = _LOOSE_DOT.sub(" ", text)
    text = _LOOSE_DASH.sub(" ", text)
    return " ".join(_SPACES.sub(" ", text).split())


def said_severity(cleaned_text: str) -> str | None:
    """The worst severity the report's own words claim, unless it says the problem has cleared."""
    words = set(cleaned_text.split())
    if words & CLEARING:
        return None
    for severity in ("critical", "warning"):
        if words & MARKERS[severity]:
            return severity
    return None


# a report of a fault put right ("replaced the clogged filter, pressure drop back to normal", "leak on v-4 fixed with a
# new gasket, bone dry after 24h"), with nothing said still wrong
FIXED = re.compile(r"\b(?:fixed|replaced|repaired|resolved|sorted|back to normal|running normal|all normal|all good|no issues"
                   r"|no problems|working fine|working again|ok now|tested ok|test ok|passed)\b")  # not "bone dry": a sump so is a dry run
STILL_WRONG = re.compile(r"\b(?:still|again|keeps?|but|however|though|yet|not|won t|wont|doesn t|isn t|failed|fails)\b")


def says_fixed(cleaned_text: str) -> bool:
    """Whether the report says the fault was put right and nothing is still wrong."""
    return FIXED.search(cleaned_text) is not None and STILL_WRONG.search(cleaned_text) is None


def says_problem(cleaned_text: str) -> bool:
    """Whether the report's words say something is wrong (and do not say it is gone)."""
    words = set(cleaned_text.split())
    return bool(words & PROBLEM_WORDS) and not words & (CLEARING | NEGATIONS)


def words(cleaned_text: str) -> list[str]:
    """The report's words: alphabetic tokens (codes such as `e42` or `0x3f` and numbers are not words)."""
    return [w for w in cleaned_text.split() if w.isalpha()]


def known_share(cleaned_text: str, known: frozenset[str]) -> float | None:
    """The share of the report's words that are in `known`; None when it has no words."""
    found = words(cleaned_text)
    return sum(w in known for w in found) / len(found) if found else None


def source(kind: str, cleaned_text: str, levels: dict[str, str]) -> str:
    """The model input for one report."""
    parts = [kind, " ".join(cleaned_text.split()[:MAX_WORDS]) or "-"]
    if levels:
        parts.append(" ".join(f"{name}={level}" for name, level in levels.items()))
    return " | ".join(parts)


@dataclass
class ModelOutput:
    fault: str
    severity: str
    evidence: list[str] = field(default_factory=list)
    score: float = 0.0  # the model's mean log-probability per output piece (0: certain)


def target(fault: str, severity: str, evidence: list[str]) -> str:
    """The model output for one diagnosis (used to build the corpus)."""
    out = f"fault={fault} severity={severity}"
    if evidence:
        out += " evidence=" + "|".join(evidence)
    return out


def parse_target(text: str) -> ModelOutput | None:
    """The model's output string to a ModelOutput, or None when it is not in the format."""
    match = _TARGET.match(text.strip())
    if not match or match.group(1) not in FAULTS or match.group(2) not in SEVERITIES:
        return None
    evidence = [e.strip() for e in (match.group(3) or "").split("|") if e.strip()]
    return ModelOutput(match.group(1), match.group(2), evidence)


def user_symbols(fields: list[str]) -> list[str]:
    """Whole-piece tokens for the fixed parts of inputs and outputs: shorter sequences decode faster."""
    return (
        [f"fault={f}" for f in FAULTS]
        + [f"severity={s}" for s in SEVERITIES]
        + ["evidence="]
        + sorted(f"{name}=" for name in fields)
    )
