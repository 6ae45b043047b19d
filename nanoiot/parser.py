"""Sentences in, validated actions out: normalise, run the model, parse its output, resolve.

Nothing here raises on what a device says: every sentence becomes a ParseResult.
"""

from __future__ import annotations

import re
from pathlib import Path

import structlog

from nanoiot.delex import Lexicon, relexicalize
from nanoiot.engine import Engine, ModelLoadError
from nanoiot.normalize import normalize
from nanoiot.registry import Registry
from nanoiot.resolver import ResolveError, Resolver
from nanoiot.schema import ErrorInfo, ModelInfo, ParseResult
from nanoiot.vocabulary import Frame, VocabularyError, parse_output

log = structlog.get_logger()

SELF_CHECK = ("turn off the light", "light.turn_off")
MAX_WORDS = 60  # longer sentences are not device commands; keeps one input from hogging a batch
# "turn on the jacuzzi", "switch the radio off": a plain on/off command and the thing it is said of
POWER_COMMAND = re.compile(r"\b(?:turn|switch|power) (?:(?:on|off) (?:the|my|our) (?P<a>[a-z]+(?: [a-z]+)?)"
                           r"|(?:the|my|our) (?P<b>[a-z]+(?: [a-z]+)?) (?:on|off))(?: please)?$")
NOT_AN_OBJECT = {"in", "on", "off", "to", "of", "at", "for", "and", "it", "all", "please"}


def best_frames(hypotheses: list[str]) -> list[Frame] | None:
    """Frames of the best hypothesis that is in the vocabulary; None when none is.

    A greedy slip in the first piece ("valve" for "valve.open_valve ...") costs
    the sentence nothing when the beam's next hypothesis is well formed. A frame
    repeated back to back is kept once.
    """
    for hypothesis in hypotheses:
        try:
            frames = parse_output(hypothesis)
        except VocabularyError:
            continue
        # "close fully valve_1" decoded twice over is one request, not two
        return [f for i, f in enumerate(frames) if i == 0 or f != frames[i - 1]]
    return None


QUESTION_WORDS = {"is", "are", "was", "were", "did", "does", "do", "has", "have", "what", "what's", "whats", "how", "how's", "which"}


def as_questions(frames: list[Frame], text: str) -> list[Frame]:
    """"is the back door locked" asks; it must never lock. A question only reads state."""
    words = text.split()
    if not words or words[0] not in QUESTION_WORDS or all(f.service == "query.get_state" for f in frames):
        return frames
    return [
        f if f.service == "query.get_state" else Frame("query.get_state", f.name, f.area, f.service_domain)
        for f in frames
    ]


SAID_VALUE = re.compile(r"\b(\d+(?:\.\d+)?) ?(percent|per cent|pct|degrees?|kelvin|k)\b")
PERCENT = ("percent", "per cent", "pct")


def unplaced_value(frames: list[Frame], text: str) -> str | None:
    """A value the person said ("150 percent") that no frame carries, or None.

    A model that never saw 150 percent may write another value in its place
    ("150 percent" -> warm white); acting on it would do what nobody asked.
    A value the model cut short ("15" for "150") counts as carried: the
    resolver restores it. 0 and 100 percent are the end points that open,
    close, on and off already say.
    """
    carried = [str(v).lstrip("-") for f in frames for v in f.data.values()]
    for match in SAID_VALUE.finditer(text):
        said = match.group(1)
        if match.group(2) in PERCENT and float(said) in (0.0, 100.0):
            continue
        if not any(value and value in said or _same_number(value, said) for value in carried):
            return match.group(0)
    return None


def _same_number(a: str, b: str) -> bool:
    try:
        return float(a) == float(b)
    except ValueError:
        return False


class CommandParser:
    """Owns the engine and the resolver for one registry."""

    def __init__(self, engine: Engine, registry: Registry) -> None:
        self.engine = engine
        self.resolver = Resolver(registry)
        # models trained with placeholders (manifest "placeholders": true) get registry phrases replaced
        self.lexicon = Lexicon.from_registry(registry) if engine.manifest.raw.get("placeholders") else None
        self.model_info = ModelInfo(name=engine.manifest.name, version=engine.manifest.version)

    @classmethod
    def load(cls, registry: Registry, model_dir: str | Path | None = None) -> "CommandParser":
        """Load the model and prove it answers; raises ModelLoadError when it does not."""
        parser = cls(Engine(model_dir), registry)
        parser.self_check()
        return parser

    def self_check(self) -> None:
        """One known sentence through the model, so a broken runtime fails at start, not silently.

        Denied writable+executable memory (systemd's MemoryDenyWriteExecute=yes, the
        kernel's PR_SET_MDWE), CTranslate2's CPU kernels, which generate code at run
        time, do not fail: they compute garbage, and every command would come back
        not_understood.
        """
        frames = best_frames(self.engine.translate_nbest([SELF_CHECK[0]])[0])
        if not frames or frames[0].service != SELF_CHECK[1]:
            raise ModelLoadError(
                f"model self-check failed: {SELF_CHECK[0]!r} did not give {SELF_CHECK[1]}; the runtime computes "
                "garbage (is the process denied writable+executable memory, e.g. MemoryDenyWriteExecute=yes?)"
            )

    def parse(self, text: str, area: str | None = None) -> ParseResult:
        return self.parse_batch([text], [area])[0]

    def translate(self, texts: list[str]) -> list[str]:
        """Raw model outputs for normalised texts (for evaluation and debugging)."""
        normalized = [normalize(t) for t in texts]
        return self.engine.translate_batch([self.lexicon.delexicalize(t).text for t in normalized] if self.lexicon else normalized)

    def parse_batch(self, texts: list[str], areas: list[str | None] | None = None) -> list[ParseResult]:
        areas = areas or [None] * len(texts)
        normalized = [" ".join(normalize(t).split()[:MAX_WORDS]) for t in texts]
        todo = [i for i, t in enumerate(normalized) if t]
        delex = {i: self.lexicon.delexicalize(normalized[i]) for i in todo} if self.lexicon else {}
        sources = [delex[i].text if delex else normalized[i] for i in todo]
        outputs = dict(zip(todo, self.engine.translate_nbest(sources)))
        return [self._safe_result(outputs.get(i), areas[i], normalized[i], delex[i].slots if i in delex else {})
                for i in range(len(texts))]

    def _safe_result(self, outputs: list[str] | None, area: str | None, text: str, slots: dict[str, str]) -> ParseResult:
        """One sentence's bug must not take the rest of its batch down with it."""
        try:
            return self._result(outputs, area, text, slots)
        except Exception:  # noqa: BLE001 - answered as an error, logged with the traceback
            log.exception("parse.failed", text=text[:200])
            return ParseResult(status="error", error=ErrorInfo(code="internal_error", message="could not parse this command"), model=self.model_info)

    def _result(self, outputs: list[str] | None, area: str | None, text: str, slots: dict[str, str]) -> ParseResult:
        if not outputs:
            return self._fail("not_understood", "empty_text", "nothing to understand")
        frames = best_frames(outputs)
        if not frames:
            if frames is None:
                log.info("parse.unparseable_output", output=outputs[0])
            missing = self._missing_device(text)
            if missing:
                return self._fail("rejected", missing.code, missing.message)
            return self._fail("not_understood", "not_understood", "not a command I know")
        frames = relexicalize(frames, slots)
        questions = as_questions(frames, text)
        # a value said in a question is what it asks about ("is the kitchen light at 50 percent"): reading state
        # sets nothing, so only frames that act are checked, before questions drop their data
        unplaced = None if all(f.service == "query.get_state" for f in questions) else unplaced_value(frames, text)
        if unplaced:
            log.info("parse.value_not_placed", said=unplaced, output=outputs[0])
            said = SAID_VALUE.fullmatch(unplaced)
            if said and said.group(2) in PERCENT and float(said.group(1)) > 100:  # no percentage in the vocabulary goes past 100
                return self._fail("rejected", "out_of_range", f"{unplaced} is more than 100 percent")
            return self._fail("not_understood", "not_understood", f"could not tell what {unplaced!r} should set")
        frames = questions
        try:
            actions = self.resolver.resolve(frames, area, text)
        except ResolveError as exc:
            return self._fail("rejected", exc.code, exc.message)
        except VocabularyError as exc:
            return self._fail("not_understood", "not_understood", str(exc))
        return ParseResult(status="ok", actions=actions, model=self.model_info)

    def _missing_device(self, text: str) -> ResolveError | None:
        """Why "turn on the jacuzzi" cannot be done, when the model read no command in it.

        Said of a thing the registry lacks, a plain on/off command is a request for a
        device we do not have ("no device matches 'jacuzzi'"), more use to the person
        than "not understood". Said of a device we have, the model's doubt stands: no guess.
        """
        said = POWER_COMMAND.search(text)
        thing = said and (said.group("a") or said.group("b"))
        if not thing or NOT_AN_OBJECT & set(thing.split()):
            return None
        try:
            self.resolver.resolve([Frame("query.get_state", name=thing)])
        except ResolveError as exc:
            return exc if exc.code == "unknown_device" else None
        return None

    def _fail(self, status: str, code: str, message: str) -> ParseResult:
        return ParseResult(status=status, error=ErrorInfo(code=code, message=message), model=self.model_info)  # type: ignore[arg-type]
