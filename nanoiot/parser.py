"""Sentences in, validated actions out: normalise, run the model, parse its output, resolve.

Nothing here raises on what a device says: every sentence becomes a ParseResult.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import structlog

from nanoiot import sentence
from nanoiot.delex import Lexicon, relexicalize
from nanoiot.engine import Engine, ModelLoadError
from nanoiot.frame_rules import QUERY, all_asked, asks, as_questions, carry_area, carry_area_back, carry_references, name_every_device, one_direction, one_request, one_setting, requests_dropped, one_kind_for_areas, same_setting_elsewhere, to_them_all, verbless, way_said_last
from nanoiot.gates import air_con_range, against_the_sense, another_robot, against_the_word, as_much_again, degrees_or_percent, guessed_amount, guessed_temperature, kind_left_out, no_air_con_here, no_history, no_lock_to_say, no_unasked_reads, no_way_said, not_asked_for, refuse_to_act, time_as_value, two_values, unclear_scope, unnamed_unlock, unsaid_cleaning, unsaid_light_setting, unsaid_mode, unsaid_number, rest_left_out, step_against_words, unsaid_setpoint, unsaid_speed, untaken_unit, within_capabilities, wrong_travel
from nanoiot.kinds import ALL_GENERIC, GENERIC_WORDS, OFF, ON, UNDO
from nanoiot.matching import is_generic
from nanoiot.named import all_of_a_name, letter_left_out, area_left_out, area_in_a_name, brand_as_kind, crossed_unsaid, designated, elsewhere, head_left_out, heard_as_named, kept_as_enough, listed_left_out, not_here, object_of_another, series_left_out, tail_left_out, number_left_out, outdoors_last, place_not_here, unknown_owner, place_guessed, plain_fixture, unknown_designated, unknown_modifier, unknown_place, unknown_room, value_left_out, where_it_stands, word_left_out
from nanoiot.lists import list_items
from nanoiot.normalize import normalize
from nanoiot.outputs import OutputCache
from nanoiot.parse_cache import ParseCache
from nanoiot.registry import Registry
from nanoiot.resolver import ResolveError, Resolver, Scope
from nanoiot.said_frames import EverythingOn, area_alone, everything, state_question
from nanoiot.said_values import PERCENT, SAID_VALUE, brighter_is_a_step, cooler_white, mood_is_a_white, level_not_step, lone_color, place_said_colors, unsaid_color, place_said_number, place_said_value, place_said_white, percent_not_kelvin, said_mode, to_is_a_level_by_a_step, unplaced_number, unplaced_value
from nanoiot.schema import Action, ErrorInfo, ModelInfo, ParseResult
from nanoiot.sentence import Said
from nanoiot.setpoints import STAND_IN_SETPOINT, Setpoints, by_degrees
from nanoiot.tampered import tampered
from nanoiot.unsafe import AT_RISK, FAULT_SAID, SAY_SO, STRANGER, not_safe_now
from nanoiot.told import LOCKED_OUT, NO_RUN_ON, OVERRIDE, PASSED_ON, SOMEONE_ASKED, WH_QUESTION, asked_by_its_mark, not_a_request, steered, written_otherwise
from nanoiot.vocabulary import FRAME_SEPARATOR, NOT_A_COMMAND, Frame, VocabularyError, parse_output
from nanoiot.words import is_phrasing
from nanoiot.word_names import says_a_way, word_names

# "close the cover_1, lock the lock_1 and turn off the light_1": parts joined by "and", or by a comma before a verb
PARTS = re.compile(r"\band\b|(?<=[a-z]_\d) (?=(?:turn|switch|open|close|shut|lock|unlock|start|stop|set|dim|run|put)\b)")
NO_COMMAND_READ = "not a command I know"
# an exception of where the speaker is: "all the lights except the ones in this room", "everywhere but here"
HERE_EXCLUDED = re.compile(r"(?:(?:the|those) (?:ones|\w+) )?(?:in |on |at )?(?:here|this room|this area|(?:the|this) (?:room|area) i'?m in)")
# a way said of "it" ("turn it off"), where it may stand for no device said
IT_ALONE = re.compile(r"\b(?:turn|switch|shut|put|start|stop|open|close|lock|unlock|dim|brighten|set|raise|lower|run|bring|crank|bump|kill|drop) (?:it|them)\b")
# a scene or a routine by name: none is kept here (a mood or a mode of the lights is a white: "set the mood")
SCENE = re.compile(r"\b(?:scenes?|routines?|preset)\b")
# "lower the loading door to minus 20 percent", "set it to -20%": below every range, never read as 20
NEGATIVE = re.compile(r"(?<![\w.\-])-\d+(?:\.\d+)?")
MINUS = re.compile(r"(?<!\d )\b(?:minus|negative) \d+(?:\.\d+)?")  # not "what is 5 minus 1"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# a reason said before it that makes a request unsafe or pressed: the request is not read alone
UNSAFE_BEFORE = re.compile("|".join(p.pattern for p in (AT_RISK, STRANGER, SAY_SO, FAULT_SAID, LOCKED_OUT, OVERRIDE))
                           + r"|\b(?:urgent|emergency|asap|immediately|hurry|quick(?:ly)?|right now|says|said|arriving|here to)\b")
# a last clause after a comma that starts as a request does: read alone where the whole read as no command
LAST_CLAUSE = re.compile(r",\s+(?=(?:please |can you |could you )?(?:put|turn|switch|open|close|shut|start|stop|lock|unlock|set|dim"
                         r"|brighten)\b[^,]*$)", re.IGNORECASE)
log = structlog.get_logger()

CLIMATE_DATA = re.compile(r" (?:hvac_mode|temperature)=\S+")

SELF_CHECK = ("turn off the light", "light.turn_off")
# "the kitchen one", "this one", "the other one": a device said before (normalised, "one" is 1 by now)
ONE_OF = re.compile(r"\b(?:(?:the|this|that) (?P<words>[a-z]+(?: [a-z]+)?)|this|that) 1\b(?! ?(?:percent|per cent|pct|degrees?|kelvin))")
PLAIN_ONE = frozenset({"other", "same", "big", "small", "left", "right", "first", "last", "new", "old", "little", "main"})
MAX_WORDS = 60  # longer sentences are not device commands; keeps one input from hogging a batch
# "turn on the jacuzzi", "switch the radio off": a plain on/off command and the thing it is said of
POWER_COMMAND = re.compile(r"\b(?:turn|switch|power) (?:(?:on|off) (?:(?:the|my|our) )?(?P<a>[a-z]+(?: [a-z]+)?)"
                           r"|(?:the|my|our) (?P<b>[a-z]+(?: [a-z]+)?) (?:on|off))(?: please)?$")
NOT_AN_OBJECT = {"in", "on", "off", "to", "of", "at", "for", "and", "it", "all", "every", "each", "everything", "please"}
DEVICE_WORDS = frozenset(ALL_GENERIC)
# words that carry no request by themselves; a sentence of only these and unknown words is chit-chat
FUNCTION_WORDS = frozenset(
    "i i'm im you your you're me my we us our it it's its is are was were be been am the a an to and or of in for "
    "with at by from so just now then that this these those there here what what's how why who when can could would "
    "will should shall do does did please hey ok okay oh well yes no not very really too also again let let's lets "
    "want need like get got have has had make thanks thank".split()
)


def best_frames(hypotheses: list[str]) -> list[Frame] | None:
    """Frames of the best hypothesis that is in the vocabulary; None when none is.

    A greedy slip in the first piece ("valve" for "valve.open_valve ...") costs
    the sentence nothing when the beam's next hypothesis is well formed. A frame
    repeated back to back is kept once.
    """
    for hypothesis in hypotheses:
        parts = hypothesis.split(FRAME_SEPARATOR)
        if len(parts) > 1:  # "light.turn_on area=area_1 ; none": a part that holds no request adds nothing
            hypothesis = FRAME_SEPARATOR.join(p for p in parts if p.strip() != NOT_A_COMMAND) or NOT_A_COMMAND
        try:
            frames = parse_output(hypothesis)
        except VocabularyError:
            continue
        # "close fully valve_1" decoded twice over is one request, not two
        return [f for i, f in enumerate(frames) if i == 0 or f != frames[i - 1]]
    return None


def _way_said_of(frames: list[Frame], source: str, slots: dict[str, str]) -> bool:
    """A device the model reads switched on (or set) right where the sentence says it off, or the other way round."""
    placeholders = {phrase: placeholder for placeholder, phrase in slots.items()}
    for frame in frames:
        name = frame.name if frame.name in slots else placeholders.get(frame.name or "")
        if name:
            way = re.search(rf"\b{name} (on|off)\b", source)
            switching_on = frame.service.endswith((".turn_on", ".start", ".open_cover", ".open_valve"))
            if way and (way.group(1) == "off" and switching_on or way.group(1) == "on" and frame.service.endswith(
                    (".turn_off", ".stop", ".close_cover", ".close_valve"))):
                return True
    return False


# "turn all the lights off in here" from a gateway source placed nowhere switched off every light of the house (the
# command line speaks for the whole site: there it is every light, as before)
HERE_SAID = re.compile(r"\b(?:in here|this room|(?:the )?room i'?m in)\b")


def _yours(source: str) -> ResolveError | None:
    """"can you share your screen?" switched the meeting room's screen on: a device said to be the listener's is a
    person's, not one of this gateway's."""
    yours = re.search(r"\byour (?:[a-z]+_\d+)\b", source)
    return ResolveError("not_understood", "that is said of someone's own thing, not a device here: nothing done") if yours else None


def power_command(text: str) -> tuple[bool, str] | None:
    """(on, the thing) of a plain on/off command ("turn on the jacuzzi", "switch the radio off"), else None."""
    said = POWER_COMMAND.search(text)
    thing = said and (said.group("a") or said.group("b"))
    return (bool(re.search(r"\bon\b", said.group(0))), thing) if said and thing else None


# a part of a sentence that tells what the speaker perceives or thinks ("i smell valve_1", read as opening it)
TOLD_PART = re.compile(r"^(?:i|we)(?: can| could)? (?:smell|hear|see|notice|think|guess|reckon|believe|feel)\b")
# "Sarah, grab the mugs next to the coffee maker", "priya, please stop conveyor a once the last carton is through":
# a name before a comma at the start, that is no word commands, devices or the registry use, is someone in the room
# being spoken to, not this gateway (as a transcriber or a keyboard writes it; a wake word is one of our words)
VOCATIVE = re.compile(r"^\s*(?:(?:hey|hi|hello|oi|yo|ok|okay)\s+)?([A-Za-z][a-z]+)\s*,\s*\S")
HAILED = re.compile(r"^\s*(?:hey|hi|hello|ok|okay|oi|yo)\s+([A-Za-z][a-z]+)\s*,\s*")
# "dani can you lock up tonight", "sophie pop the fire on", "@tomas turn la bomba down": a name before a request
NAMED_FIRST = re.compile(r"^\s*@?([A-Za-z][a-z]+) (?:can|could|would|will|turn|switch|put|pop|open|close|shut|lock|unlock|start"
                         r"|stop|get|make|grab|bring|go)\b")
# "mom can you turn my fairy lights off", "grandad the big light's too bright": a relative spoken to
FAMILY_FIRST = re.compile(r"^\s*(mum|mom|mam|mummy|mommy|ma|dad|daddy|grandad|grandpa|gran|granny|nan|nana|nanna|grandma)"
                          r",?\s+(?:the|can|could|would|will|please|turn|switch|put|pop|open|close|shut|lock|unlock|start"
                          r"|stop|your)\b", re.IGNORECASE)
# "lights out in 5 minutes you two!": people in the room, told
PEOPLE_LAST = re.compile(r"\b(you (?:two|three|lot|guys))\W*$", re.IGNORECASE)
WAKE_NAMES = frozenset("alexa google siri computer jarvis nano olly assistant house home bot gateway".split())  # said to us
# words that open a sentence before a comma and name nobody ("actually, turn it off")
DISCOURSE = frozenset("actually alright right wait also now first then next finally yes no yeah yep nope sure fine okay ok yo oi "
                      "umm ummm hmmm erm uhh yaar bhai che chale abeg dude bro mate man "
                      "listen look quick hey hi hello please thanks thank sorry um uh er erm oh ah well so and but or "
                      "anyway honestly seriously again tonight today tomorrow later morning evening night great cool "
                      "perfect good nice done careful remember brr brrr ugh ew eww phew oops whoa wow ooh hmm huh yikes argh gosh jeez".split())


class _Reads:
    """`setpoints`, noting whether a parse asked it: such a parse depends on a device's state now."""

    def __init__(self, setpoints: Setpoints | None) -> None:
        self._setpoints = setpoints
        self.used = False

    def __call__(self, device_id: str) -> float | None:
        self.used = True
        return self._setpoints(device_id) if self._setpoints else None


def _read_instead(result: ParseResult) -> ParseResult:
    """"back door locked?", "kettle?": a question only reads, whatever the model wrote (the reads its actions name)."""
    if all(a.service == QUERY for a in result.actions):
        return result
    targets = list(dict.fromkeys(t for a in result.actions for t in a.targets))
    return result.model_copy(update={"actions": [Action(service=QUERY, targets=targets)], "when": None, "lasting": None})


# "compressor on, dryer on, high bays on": a list of switchings, each a request (the commas are gone once normalised)
SWITCH_LIST = re.compile(r"(?<!'s on)(?<!'s off)(?<! is on)(?<! is off)(?<! are on)(?<! are off)(?<!'re on)"
                         r"(?:(?<=\bon)|(?<=\boff)),\s*(?=[a-z][\w ]{0,30}?\b(?:on|off)\b)", re.IGNORECASE)  # not "compressor's on, ..."
# "..., and the same in the bedroom", "... then do the same thing for the office": the first request again, there
SAME_THERE = re.compile(r"(?:^|\band )(?:then )?(?:do )?(?:the )?same(?: thing)? (?:in|for|with|to) (?:the |my |our )?(?P<area>\w+(?: \w+)?)"
                        r"(?: too| as well| please)*$")


def _designated_kind(said: Said) -> str | None:
    """"stop every pump but number 3": the number left out is the kind's said before it ("pump 3"), not a 3 alone."""
    number = re.fullmatch(r"(?:(?:number|no|num) )?(\d{1,2}|[a-h])", said.excluded or "")
    kind = re.search(r"\b(?:every|all(?: the)?|each)(?: of the)? ([a-z]+?)s?\b", said.text) if number else None
    return f"{kind.group(1)} {number.group(1)}" if kind and number else said.excluded


class CommandParser:
    """Owns the engine and the resolver for one registry."""

    def __init__(self, engine: Engine, registry: Registry) -> None:
        self.engine = engine
        self.outputs = OutputCache(engine.translate_nbest)  # exact: greedy decoding is deterministic
        self.parsed = ParseCache()  # exact too: a parse is a pure function of its key and this registry
        self.resolver = Resolver(registry)
        # models trained with placeholders (manifest "placeholders": true) get registry phrases replaced
        self.lexicon = Lexicon.from_registry(registry, engine.is_word) if engine.manifest.raw.get("placeholders") else None
        self.model_info = ModelInfo(name=engine.manifest.name, version=engine.manifest.version)
        self.word_names = word_names(registry) if self.lexicon else frozenset()
        areas = sorted({normalize(a) for a in registry.areas}, key=len, reverse=True)
        alternation = "|".join(map(re.escape, areas)) or "(?!)"
        joint = r"(?:in |on |at )?(?:the |my |our )?"
        # "in the kitchen, the hallway and the bathroom", "in the warehouse and on the packing line"
        self._joined_areas = re.compile(rf"\b(?:{alternation})(?:,? {joint}(?:{alternation}))*,? and {joint}(?:{alternation})\b")
        self._area_said = re.compile(rf"\b(?:{alternation})\b")
        # "dani" of "dani's lamp", "nia" of "nia's room": people the site's names belong to
        self._owners = {word[:-2] for phrase in (*(n for d in registry.devices for n in (d.name, *d.aliases)),
                                                 *(n for a in registry.area_info for n in (a.name, *a.aliases)))
                        for word in normalize(phrase).split() if word.endswith("'s")}

    @classmethod
    def load(cls, registry: Registry, model_dir: str | Path | None = None, workers: int = 1) -> "CommandParser":
        """Load the model and prove it answers; raises ModelLoadError when it does not.

        `workers`: model replicas decoding parts of one batch in parallel (CTranslate2's inter_threads)."""
        parser = cls(Engine(model_dir, inter_threads=workers), registry)
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

    def parse(self, text: str, area: str | None = None, site_wide: bool = False, setpoints: Setpoints | None = None) -> ParseResult:
        return self.parse_batch([text], [area], site_wide, setpoints)[0]

    def _read(self, normalized: str) -> Said:
        said = sentence.read(normalized, DEVICE_WORDS, self.resolver.place_words)
        plain = outdoors_last(plain_fixture(brand_as_kind(said.text, self.resolver), self.resolver), self.resolver)
        return replace(said, text=" ".join(plain.split())) if plain != said.text else said

    def parse_batch(self, texts: list[str], areas: list[str | None] | None = None, site_wide: bool = False,
                    setpoints: Setpoints | None = None) -> list[ParseResult]:
        """`areas`: where each sentence was said (None: a source placed nowhere). `site_wide`: the site lets a
        kind of device said with no area mean all of them; otherwise that is refused as ambiguous_target.
        `setpoints`: a thermostat's current setpoint by device id, for "a couple of degrees warmer".
        A sentence parsed before from the same place comes from `self.parsed` (nanoiot.parse_cache).
        """
        areas = areas or [None] * len(texts)
        keys = [(text, area, site_wide) for text, area in zip(texts, areas)]
        results = self.parsed.get(keys)
        todo = [i for i, result in enumerate(results) if result is None]
        if todo:
            read = _Reads(setpoints)
            fresh = self._parse_fresh([texts[i] for i in todo], [areas[i] for i in todo], site_wide, read)
            for i, result in zip(todo, fresh):
                results[i] = result
            if not read.used:  # a setpoint read now is no answer for later
                self.parsed.put([keys[i] for i in todo], fresh)
        return results  # type: ignore[return-value]

    def _parse_fresh(self, texts: list[str], areas: list[str | None], site_wide: bool,
                     setpoints: Setpoints | None) -> list[ParseResult]:
        """Each sentence read whole, and one that is only a list of settings (nanoiot.lists) item by item."""
        results = self._parse_sentences(texts, areas, site_wide, setpoints)
        lists = {i: items for i, text in enumerate(texts) if (items := list_items(text))}
        if lists:
            read = self._parse_sentences([item for items in lists.values() for item in items],
                                         [areas[i] for i, items in lists.items() for _ in items], site_wide, setpoints)
            for i, items in lists.items():
                parts, read = read[:len(items)], read[len(items):]
                results[i] = self._joined(items, parts) or results[i]
        return results

    def _joined(self, items: list[str], parts: list[ParseResult]) -> ParseResult | None:
        """A list's items read one by one, as one answer: done where every item is, else the first item's refusal;
        None (the whole sentence's reading stands) where an item is for later, which one answer cannot say."""
        if any(part.when or part.lasting for part in parts):
            return None
        for item, part in zip(items, parts):
            if part.status != "ok" and part.error:
                return self._fail(part.status, part.error.code, f"{item!r}: {part.error.message}")
        actions = [action for part in parts for action in part.actions]
        told: dict[str, tuple[str, dict[str, Any]]] = {}
        for action in actions:
            for target in action.targets:
                if told.setdefault(target, (action.service, action.data)) != (action.service, action.data):
                    return self._fail("not_understood", "not_understood", f"the items of that list tell {target} two "
                                      "things: nothing done; say which device each item means")
        return ParseResult(status="ok", actions=[a for n, a in enumerate(actions) if a not in actions[:n]], model=self.model_info)

    def _parse_sentences(self, texts: list[str], areas: list[str | None], site_wide: bool,
                         setpoints: Setpoints | None) -> list[ParseResult]:
        normalized = [heard_as_named(" ".join(normalize(SWITCH_LIST.sub(" and ", self._unhailed(t))).split()[:MAX_WORDS]),
                                     self.resolver) for t in texts]
        if self.lexicon:  # "mixer 1 and 2": each part names its device
            normalized = [self.lexicon.spell_out_shared(self.lexicon.with_marks(t)) for t in normalized]
        said = [self._read(t) for t in normalized]
        addressed = [self._addressee(t) for t in texts]
        otherwise = [written_otherwise(t) or tampered(t) for t in texts]
        todo = [i for i, t in enumerate(normalized) if t and not addressed[i] and not otherwise[i]]
        delex = {i: self.lexicon.delexicalize(said[i].text) for i in todo} if self.lexicon else {}
        sources = {i: delex[i].text if delex else said[i].text for i in todo}
        outputs = dict(zip(todo, self.outputs.translate_nbest(list(sources.values()))))
        as_words = self._read_as_words({i: names for i in todo if (names := self.word_names & set(delex[i].slots.values()))
                                        and not says_a_way(said[i].text, names)}, [s.text for s in said], outputs)
        below = [NEGATIVE.search(t) or MINUS.search(n) for t, n in zip(texts, normalized)]  # normalising drops a "-"
        results = [self._fail("not_understood", "not_understood", f"that is said to {name}, not to this gateway: nothing done")
                   if (name := addressed[i]) else
                   self._fail("not_understood", "not_understood", otherwise[i]) if otherwise[i] else
                   self._fail("rejected", "out_of_range", f"{below[i].group(0)!r}: no device here takes a value below zero")
                   if below[i] else
                   self._safe_result(outputs.get(i), Scope(areas[i], site_wide), said[i], normalized[i],
                                     delex[i].slots if i in delex else {}, sources.get(i, ""), setpoints)
                   for i in range(len(texts))]
        for i, result in enumerate(results):
            if result.status == "ok" and i in as_words and any(a.service != QUERY for a in result.actions):
                results[i] = self._fail("not_understood", "not_understood", f"{as_words[i]!r} is a device here, but "
                                        "the sentence says the word, asking nothing of it: nothing done")
            elif result.status == "ok" and areas[i] is None and not site_wide and HERE_SAID.search(said[i].text) \
                    and any(a.service != QUERY for a in result.actions):
                results[i] = self._fail("rejected", "ambiguous_target", "where is here? this source stands nowhere known: "
                                                                        "say the room")
            elif result.status == "ok" and asked_by_its_mark(texts[i], normalized[i]):
                results[i] = _read_instead(result)
            elif result.status == "ok" and NO_RUN_ON.match(texts[i]) and any(a.service != QUERY for a in result.actions):
                results[i] = self._fail("not_understood", "not_understood", "'no' then a request: is that 'don't' or 'no, "
                                        "do it'? nothing done; say it again")
        return self._last_sentence_asks(texts, areas, site_wide, setpoints, results)

    def _read_as_words(self, named: dict[int, set[str]], texts: list[str], first: dict[int, list[str]]) -> dict[int, str]:
        """Of the sentences that name a device called by a plain word (index -> those names: "dusty", "ghost"), those
        that read with the name as a word hold no command, or one of other services than the `first` reading's:
        index -> a name (nanoiot.word_names)."""
        if not named or self.lexicon is None:
            return {}
        plain = [self.lexicon.delexicalize(texts[i], keep=self.word_names).text for i in named]
        read = self.outputs.translate_nbest(plain)
        return {i: min(names) for (i, names), hypotheses in zip(named.items(), read)
                if not (frames := best_frames(hypotheses))
                or {f.service for f in frames} != {f.service for f in best_frames(first[i]) or []}}

    def _last_sentence_asks(self, texts: list[str], areas: list[str | None], site_wide: bool, setpoints: Setpoints | None,
                            results: list[ParseResult]) -> list[ParseResult]:
        """"Meeting's finally over, phew. Open the office blinds please.": where the whole read as no command and the
        sentences before the last say nothing negated, the last sentence read alone, if it is a request."""
        retry = {}
        for i, result in enumerate(results):
            if result.error and result.error.message == NO_COMMAND_READ:
                *before, last = [s for s in SENTENCE_END.split(texts[i].strip()) if re.search(r"[a-zA-Z]", s)] or [""]
                if not before:  # "that shower was scorching and the mirror's all fogged up, put the bathroom fan on"
                    *before, last = [s for s in LAST_CLAUSE.split(texts[i].strip()) if re.search(r"[a-zA-Z]", s)] or [""]
                    if before and (UNSAFE_BEFORE.search(normalize(" ".join(before))) or sentence.LATER.search(normalize(" ".join(before)))):
                        continue  # "a woman says she's the new neighbour ..., unlock the front door", "when the shift ends, ..."
                if before and not any(sentence.NEGATION.search(normalize(s)) or sentence.LATER.search(normalize(s)) for s in before) \
                        and not steered(normalize(texts[i])) and not any(WH_QUESTION.match(s.strip()) for s in before):
                    retry[i] = last  # not after "ignore your rules. ..." nor a joke's question
        if retry:
            alone = self._parse_fresh(list(retry.values()), [areas[i] for i in retry], site_wide, setpoints)
            for i, result in zip(retry, alone):
                unsafe = not_safe_now(result.actions, self._read(normalize(texts[i]))) if result.status == "ok" else None
                if unsafe:  # "smells of gas by the showers, open the valve": the last sentence, said after the gas
                    results[i] = self._fail("rejected", unsafe.code, unsafe.message)
                elif result.status == "ok":
                    results[i] = result
        return results

    def _unhailed(self, text: str) -> str:
        """"hey mill, debarker on": the site hailed by one of its places' names is no place said."""
        hail = HAILED.match(text)
        return text[hail.end():] if hail and self.resolver.area_called(hail.group(1).lower()) else text

    def _addressee(self, text: str) -> str | None:
        """The name `text` is said to, where it opens with someone's name and a comma (VOCATIVE), or with a name no
        word of requests or of the site is, right before a request ("joss turn the kettle on", "@tomas turn la bomba
        down"); else None."""
        family = FAMILY_FIRST.match(text) or PEOPLE_LAST.search(text)
        if family and not self.resolver.named_exactly(family.group(1).lower()):
            return family.group(1)  # "mom can you turn my fairy lights off", "lights out in 5 minutes you two!"
        match = VOCATIVE.match(text)
        bare = None if match else NAMED_FIRST.match(text)
        if bare:
            word = bare.group(1).lower()
            if word in DISCOURSE or word in WAKE_NAMES or word in FUNCTION_WORDS or word in DEVICE_WORDS or is_phrasing(word) \
                    or word.endswith("ly") and any(map(self.engine.is_word, (word[:-2], word[:-1], word[:-2] + "e", word[:-1] + "e", word[:-3] + "y"))) \
                    or self.resolver.mentioned(normalize(" ".join(text.lstrip("@ ").split()[:2]))) \
                    or self.lexicon is not None and self.lexicon.near_a_word(word):  # "hue go off", "convayor stop"
                return None
            if text.lstrip().startswith("@"):
                return bare.group(1)
            # a word of the site only as someone's (the owner of "dani's lamp"), or no word of it at all
            owner = self.resolver.knows(word) and not self.resolver.named_exactly(word) \
                and word not in self.resolver.place_and_area_words
            return bare.group(1) if owner or not self.resolver.knows(word) else None
        word = match.group(1).lower() if match else ""
        if not word or word in DISCOURSE or word in WAKE_NAMES:
            return None
        if self._ours(word):  # "dusty, go home" speaks to the robot; "emma, turn your fan off" to the girl whose room it is
            # and "nia, put the kettle on" to the girl of "nia's room": a word the site has only as someone's
            yours = self.resolver.named_exactly(word) == [] and (re.search(r"\byour\b", text[match.end() - 1:].lower())
                                                                 or word in self._owners and not is_phrasing(word))
            return match.group(1) if yours else None
        return match.group(1)

    def _passed_on(self, text: str) -> ResolveError | None:
        """"can you ask dad to turn the fire off": a request for someone, not for this gateway (told.PASSED_ON)."""
        who = PASSED_ON.search(text)
        person = who and (who.group(1) or who.group(2))
        if person and not self.resolver.named_exactly(person):
            return ResolveError("not_understood", f"that asks {person} to do it, not this gateway: nothing done")
        if SOMEONE_ASKED.search(text):
            return ResolveError("not_understood", "that asks someone there to do it, not this gateway: nothing done")
        return None

    def _ours(self, word: str) -> bool:
        """A word commands are phrased with (nanoiot.words, typing slips too), a kind of device, or a word of the
        registry's names and areas."""
        return word in DEVICE_WORDS or is_phrasing(word) or self.resolver.knows(word)

    def _safe_result(self, outputs: list[str] | None, scope: Scope, said: Said, text: str, slots: dict[str, str],
                     source: str, setpoints: Setpoints | None) -> ParseResult:
        """One sentence's bug must not take the rest of its batch down with it. `source`: what the model read."""
        try:
            return self._result(outputs, scope, said, text, slots, source, setpoints)
        except Exception:  # noqa: BLE001 - answered as an error, logged with the traceback
            log.exception("parse.failed", text=text[:200])
            return ParseResult(status="error", error=ErrorInfo(code="internal_error", message="could not parse this command"), model=self.model_info)

    def _result(self, outputs: list[str] | None, scope: Scope, said: Said, text: str, slots: dict[str, str], source: str,
                setpoints: Setpoints | None) -> ParseResult:
        if not outputs:
            return self._fail("not_understood", "empty_text", "nothing to understand")
        if not self._has_request_word(said.text):
            return self._fail("not_understood", "not_understood", NO_COMMAND_READ)
        if self._one_of_them(said.text):
            return self._fail("not_understood", "not_understood", "which device? say its name")
        try:
            here = None if said.everywhere else scope.area
            said_frames = area_alone(said.text, self.resolver) or everything(said.text, self.resolver, here)
            frames = said_frames or best_frames(outputs)
        except EverythingOn as exc:
            return self._fail("rejected", "ambiguous_target", str(exc))
        if frames is None and said.relative_degrees:  # the setpoint rules below set the change: the model's data for it
            frames = best_frames([CLIMATE_DATA.sub("", h) for h in outputs])  # may be malformed, its frame need not be
        if not frames:
            frames = state_question(said.text, self.resolver)
        if not frames:
            if frames is None:
                log.info("parse.unparseable_output", output=outputs[0])
            frames = self._switched_by_name(said.text)
        if not frames:
            missing = self._missing_device(said.text)
            if missing:
                return self._fail("rejected", missing.code, missing.message)
            return self._fail("not_understood", "not_understood", NO_COMMAND_READ)
        power = power_command(said.text)
        if power and not DEVICE_WORDS & set(power[1].split()) and all(not f.name and not f.area for f in frames):
            missing = self._missing_device(said.text)  # "turn on pdr am" read as heating on: a thing we lack
            if missing:
                return self._fail("rejected", missing.code, missing.message)
        # a question only reads, whatever the model wrote: turned into queries first, which drop their data
        # "kill everything in the break room", where "break room" heads a light's name too: the place said, not the light
        named = slots if not said_frames else {
            p: phrase for p, phrase in slots.items() if not any(self.resolver.area_called(phrase) == f.area for f in said_frames)}
        frames, unsure = name_every_device(one_setting(one_request(one_direction(as_questions(frames, text), source), source), source), named, source)
        unsure = unsure or requests_dropped(frames, source, outputs[0])
        parts = self._by_parts(source) if unsure else None
        if parts:  # "turn off the kettle and start the coffee maker" read as the kettle alone: each part on its own
            frames, unsure = name_every_device(as_questions(parts, text), named, source)
        if unsure:
            log.info("parse.half_understood", reason=unsure, output=outputs[0])
            return self._fail("not_understood", "not_understood", f"understood only part of that, so did nothing: {unsure}")
        frames = relexicalize(to_them_all(same_setting_elsewhere(one_kind_for_areas(frames, source), source), source), slots)
        if _way_said_of(frames, source, slots):  # "lounge: big light off, lamp to 25" set the big light to 25
            return self._fail("not_understood", "not_understood", "the words switch it one way, the reading the other: "
                                                                  "nothing done; say each request on its own")
        same = SAME_THERE.search(said.text)
        if same:  # "close the blinds and do the same in the bedroom" opened the bedroom's lights
            if len(frames) != 2 or frames[0].service == QUERY:
                return self._fail("not_understood", "not_understood", "'the same' as what? say what to do there")
            first = frames[0]
            frames = [first, replace(first, area=same.group("area"), name=first.name if first.name and is_generic(first.name) else None)]
        guessed = place_guessed(frames, said.text, scope.area, self.resolver)
        if guessed:  # "put the light over the sink on" read as the bathroom's light
            return self._fail("rejected", "ambiguous_device", f"{guessed!r} was not said: say which device, or where")
        # a value said in a question is what it asks about ("is the kitchen light at 50 percent"): reading state
        # sets nothing, so only frames that act are checked
        # "two degrees warmer" is a change the setpoint rules make below, not a value a frame should carry
        asked = said.text.replace(said.relative_degrees, " ") if said.relative_degrees else said.text
        unplaced = None if all(f.service == QUERY for f in frames) else unplaced_value(frames, asked)
        frames = unsaid_color(place_said_colors(frames, source), source)
        frames, lost_color = lone_color(percent_not_kelvin(place_said_number(place_said_white(frames, said.text), source),
                                                           said.text), source)
        frames = brighter_is_a_step(mood_is_a_white(cooler_white(level_not_step(frames, said.text), said.text), said.text), source)
        frames = way_said_last(said_mode(to_is_a_level_by_a_step(frames, said.text), said.text), said.text)
        placed = place_said_value(frames, said.text) if unplaced else None
        if placed:
            log.info("parse.value_placed", said=unplaced, output=outputs[0])
            frames, unplaced = placed, None
        unplaced = unplaced or lost_color  # "... and turn it red" where no frame could take the red
        if not unplaced and not said.later and not said.relative_degrees and any(f.service != QUERY for f in frames):
            unplaced = unplaced_number(frames, source)
        if unplaced:
            log.info("parse.value_not_placed", said=unplaced, output=outputs[0])
            value = SAID_VALUE.fullmatch(unplaced)
            if value and value.group(2) in PERCENT and float(value.group(1)) > 100:  # no percentage in the vocabulary goes past 100
                return self._fail("rejected", "out_of_range", f"{unplaced} is more than 100 percent")
            return self._fail("not_understood", "not_understood", f"could not tell what {unplaced!r} should set")
        frames = self._both_areas(carry_references(all_asked(frames, text, slots), said.text), said.text)
        # "... and close all the blinds" means all of them; an "all" that only an exception says does not ("turn off
        # the warehouse and line lights except the high bays" switched off every light on the site)
        if not (said.everywhere or said.every and sentence.EVERY.search(said.text)):
            frames = carry_area(frames, self.resolver.has_kind_in)
        frames = carry_area_back(frames, said.text, self.resolver.has_kind_in)  # "every light and fan in the office"
        place = unknown_place(said.text, self.resolver) or place_not_here(frames, said.text, self.resolver) or (  # a robot cleans
            unknown_room(said.text, self.resolver, any(f.service != QUERY for f in frames))  # wherever it is sent
            if any(f.service_domain != "vacuum" for f in frames) else None)
        if place:
            return self._fail("rejected", "unknown_device", f"no area called {place!r}")
        frames = area_in_a_name(frames, said.text, self.resolver)
        if said.every:  # "close all the blinds": every device of the kind, not the one whose name is the kind word
            frames = [replace(f, name=None) if f.name and is_generic(f.name) else f for f in frames]
        frames = designated(all_of_a_name(frames, said.text, self.resolver.registry.devices), said.text)
        if said.excluded and HERE_EXCLUDED.fullmatch(said.excluded):  # "all the lights except the ones in this room"
            if scope.area is None:
                return self._fail("rejected", "ambiguous_target", "'here' is no place for a source placed nowhere: say the room")
            said, scope = replace(said, excluded=scope.area), Scope(None, True)
        if said.everywhere or (said.every and scope.area is None) or self._excepts_elsewhere(said, scope):
            scope = Scope(None, True)  # "everywhere" outranks the speaker's area; "all the lights" from nowhere means all
        if said.relative_degrees:  # the model's number is a guess; by_degrees sets it from the device's own setpoint
            # degrees are a thermostat's: where the model read no climate device at all ("turn the heating down by
            # a degree" read as dimmer lights), its frame is a change of setpoint all the same
            climate = any(f.service_domain == "climate" for f in frames)
            frames = [replace(f, service="climate.set_temperature", data={"temperature": STAND_IN_SETPOINT})
                      if (f.service_domain == "climate" if climate else f.service != QUERY) else f for f in frames]
        try:
            refusal = refuse_to_act([f.service for f in frames], said) or unsaid_mode(frames, said) or unsaid_speed(frames, said) \
                or (None if said.relative_degrees else unsaid_setpoint(frames, said))
            if refusal is None:
                actions = self.resolver.resolve(frames, scope.area, said.text, scope.site_wide)
                actions = no_unasked_reads(self._asked_too(self._leave_out(actions, _designated_kind(said)), text), text)
                targets = [t for a in actions for t in a.targets]
                lacking = unknown_designated(said.text, self.resolver, frames) \
                    or unknown_modifier(said.text, self.resolver, targets) or unknown_owner(said.text, self.resolver)
                if lacking:
                    raise ResolveError("unknown_device", f"no device matches {lacking!r}, so nothing was done")
                crossed = crossed_unsaid(frames, actions, said.text, self.resolver)
                if crossed:  # "stop the quiet mixer" read as the "air mixer", which found the air conditioner
                    raise ResolveError("unknown_device", f"nothing said names the {crossed}, so nothing was done")
                acting = any(a.service != QUERY for a in actions)
                standing = where_it_stands(said.text, self.resolver) if acting else None
                if standing:
                    raise ResolveError("ambiguous_device", f"which one? where each stands is not known here ({standing!r}): "
                                                           "say its name")
                missed = head_left_out(said.text, self.resolver, targets) or word_left_out(frames, said.text, self.resolver, targets) \
                    or area_left_out(said.text, self.resolver, actions) or object_of_another(said.text, self.resolver, targets) \
                    or tail_left_out(said.text, self.resolver, targets) or number_left_out(said.text, self.resolver, targets) \
                    or series_left_out(said.text, self.resolver, targets) or listed_left_out(said.text, self.resolver, targets) \
                    or kept_as_enough(said.text, self.resolver, targets) \
                    if acting else None
                if missed:
                    raise ResolveError("ambiguous_device", f"{missed!r} was not among what the reading would act on: "
                                                           "nothing done; say the device's whole name")
                head = letter_left_out(said.text, self.resolver, targets) if acting else None
                if head:  # "brine pump on": A or B?
                    letters = sorted(d.name for i in self.resolver.series[head] if (d := self.resolver.registry.get(i)))
                    raise ResolveError("ambiguous_device", f"which {head}? say one of: {', '.join(letters)}")
                unused = value_left_out(said.text, self.resolver, actions) if acting and not said.relative_degrees else None
                if unused:  # "AC on cool, 19" set the mode alone
                    raise ResolveError("not_understood", f"{unused} was said, but nothing done takes it: nothing done; "
                                                         "say it again")
                actions, beyond = within_capabilities(actions, self.resolver.registry.get)
                beyond = beyond or no_air_con_here(actions, said, self.resolver.registry.get) \
                    or air_con_range(actions, self.resolver.registry.get) \
                    or not_here(actions, said.text, scope.area, self.resolver) or elsewhere(actions, said.text, self.resolver)
                if beyond:
                    raise beyond
                if unnamed_unlock(actions, said, self._names_a_target(said.text, actions)):
                    raise ResolveError("ambiguous_device", "which door? say its name to unlock it")
                if IT_ALONE.search(said.text) and not DEVICE_WORDS & set(said.text.split()) \
                        and not self._names_a_target(re.sub(r"'s\b", "", said.text), actions):  # "something's burning ..., turn it off"
                    raise ResolveError("ambiguous_device", "which device is 'it'? nothing said names one: say its name")
                if SCENE.search(said.text) and not DEVICE_WORDS & set(said.text.split()) \
                        and not self._names_a_target(said.text, actions):  # "set the mood", "romantic mode"
                    raise ResolveError("unsupported", "scenes and routines are not kept here: say which devices and how")
                unclear = unclear_scope(actions, said, lambda: self._kin(targets)) or no_way_said(actions, said) or two_values(actions, said)
                if unclear:
                    raise unclear
                refusal = refuse_to_act([a.service for a in actions], said)
                if refusal is None and said.relative_degrees and any(a.service != QUERY for a in actions):
                    actions, refusal = by_degrees(actions, said, text, setpoints)
                checked = {a.service for a in actions} & {"climate.set_temperature", "vacuum.start"}  # by the gates below
                named = {d.domain for d in self.resolver.mentioned(said.text)} if checked else set()
                climate_named = "climate.set_temperature" in checked and "climate" in named
                refusal = refusal or (None if said.relative_degrees else guessed_temperature(actions, said, climate_named)) \
                    or guessed_amount(actions, said) or degrees_or_percent(actions, said, frames) \
                    or unsaid_light_setting(actions, said, lambda: self._names_a_target(said.text, actions)) or unsaid_number(actions, said) \
                    or time_as_value(actions, said) or no_history(actions, said) or untaken_unit(actions, said) \
                    or step_against_words(actions, said) or rest_left_out(actions, said) or not_safe_now(actions, said) \
                    or no_lock_to_say(actions, said) \
                    or as_much_again(actions, said) or kind_left_out(actions, said, lambda p: {d.domain for d in self.resolver.named_exactly(p)}) \
                    or not_asked_for(actions, said) \
                    or wrong_travel(actions, said) \
                    or not_a_request(actions, said) or self._passed_on(said.text) or _yours(source) \
                    or against_the_sense(actions, said) or against_the_word(actions, said) \
                    or unsaid_cleaning(actions, said, "vacuum" in named) or another_robot(actions, said, self.resolver.registry.get)
        except ResolveError as exc:
            return self._fail("rejected", exc.code, exc.message)
        except VocabularyError as exc:
            return self._fail("not_understood", "not_understood", str(exc))
        if refusal:
            log.info("parse.refused", code=refusal.code, text=text[:200])
            return self._fail("not_understood" if refusal.code == "not_understood" else "rejected", refusal.code, refusal.message)
        timed = said.when or said.lasting
        if timed is not None and any(a.service == QUERY for a in actions):
            return self._fail("rejected", "unsupported", f"a question is answered now, not {timed.said!r}: ask it without the time")
        if said.lasting is not None and any(a.service not in UNDO or a.data for a in actions):
            return self._fail("rejected", "unsupported", f"only switching on or off, opening or closing, starting or unlocking "
                                                         f"can be undone {said.lasting.said!r} later: say when to do each")
        return ParseResult(status="ok", actions=actions, model=self.model_info, when=said.when, lasting=said.lasting)

    def _one_of_them(self, text: str) -> bool:
        """"turn on the kitchen one", "this one": "one" (a 1 by now) stands for a device said before, in a
        conversation the gateway does not have; "the desk lamp one" is the lamp called 1."""
        for match in ONE_OF.finditer(text):
            words = match.group("words")
            if words is None or words in PLAIN_ONE or self.resolver.area_called(words):
                return True
        return False

    def _has_request_word(self, text: str) -> bool:
        """"i love you" must never start the vacuum, whatever the model read into it.

        A request holds a word that commands are phrased with (nanoiot.words), a kind of
        device, a word of the registry's names and areas, or a number ("actually make it
        21.5"); chit-chat may hold none.
        """
        return any(w[0].isdigit() or w not in FUNCTION_WORDS and self._ours(w) for w in text.split())

    def _both_areas(self, frames: list[Frame], text: str) -> list[Frame]:
        """"turn on the lights in the kitchen and the living room": one request, said of both areas (or of all those
        listed: "in the kitchen, the hallway and the bathroom").

        The model may read the second area as a command of its own (a question, or nothing);
        where two areas are joined by "and" with no verb between them, the first frame
        naming either is done in both. Not when a device word of another kind follows
        ("... and the living room fan") or the model read another request there: those stand.
        """
        joined = self._joined_areas.search(text)
        areas = list(dict.fromkeys(self._area_said.findall(joined.group(0)))) if joined else []
        if len(areas) < 2:
            return frames
        lead = next((f for f in frames if f.area and normalize(f.area) in areas), None)
        if lead is None:
            return frames
        before = {kind for kind, words in GENERIC_WORDS.items() if words & set(text[:joined.start()].split())}
        after = {kind for kind, words in GENERIC_WORDS.items() if words & set(text[joined.end():].split()[:1])}
        if before and after and not before & after:  # "the lights in the kitchen and the living room fan"
            return frames
        others = [f for f in frames if f is not lead and f.area and normalize(f.area) in areas]
        if any(f.service not in (lead.service, QUERY) for f in others):
            return frames
        out: list[Frame] = []
        for frame in frames:
            if frame is lead:
                out += [replace(lead, area=area) for area in areas]
            elif not any(frame is f for f in others):
                out.append(frame)
        return out

    def _excepts_elsewhere(self, said: Said, scope: Scope) -> bool:
        """"all the lights except the porch light" said in the kitchen: leaving out what is not in
        the kitchen only makes sense of the whole site."""
        if not said.excluded or said.spared or scope.area is None:
            return False
        return any(normalize(d.area or "") != normalize(scope.area) for d in self.resolver.devices_said(said.excluded))

    def _names_a_target(self, text: str, actions: list[Action]) -> bool:
        """The sentence names a device acted on (a word of its name that is no kind word) or a place where one stands
        ("open the door to the garden" from the kitchen unlocked the back door: the garden is no place of it)."""
        words = set(text.split())
        targets = [d for d in map(self.resolver.registry.get, {t for a in actions for t in a.targets}) if d]
        return any(self.resolver.in_area(d, area) for area in self.resolver.areas_said(text) for d in targets) \
            or any(w in words and not is_generic(w) for d in targets for n in (d.name, *d.aliases) for w in normalize(n).split())

    def _kin(self, targets: list[str]) -> int:
        """How many devices of the kinds of `targets` stand in their areas."""
        devices = [d for t in targets if (d := self.resolver.registry.get(t))]
        return sum(1 for d in self.resolver.registry.devices if any(d.domain == t.domain and d.area == t.area for t in devices))

    def _leave_out(self, actions: list[Action], excluded: str | None) -> list[Action]:
        """"turn off all the lights except the porch light": the devices after "except" are left out.

        An exception naming nothing the registry knows is refused: doing everything, or
        guessing, would act on what the person excluded.
        """
        if excluded is None:
            return actions
        whole = self.resolver.devices_said(excluded)
        left_out = {d.id for d in whole} | self.resolver.left_out_by_place(excluded, whole)
        if not left_out:
            raise ResolveError("unknown_device", f"no device matches {excluded!r}, so I cannot leave it out")
        kept = [a.model_copy(update={"targets": [t for t in a.targets if t not in left_out]}) for a in actions]
        kept = [a for a in kept if a.targets]
        if not kept:
            raise ResolveError("ambiguous_target", f"nothing is left once {excluded!r} is left out")
        return kept

    def _asked_too(self, actions: list[Action], text: str) -> list[Action]:
        """"is the front door and the back door locked": a question answers every device it names."""
        if not actions or any(a.service != QUERY for a in actions) or not asks(text):
            return actions
        asked = {t for a in actions for t in a.targets}
        missing = [d.id for d in self.resolver.mentioned(text) if d.id not in asked]
        return actions + [Action(service=QUERY, targets=missing)] if missing else actions

    def _switched_by_name(self, text: str) -> list[Frame]:
        """"switch on the line lights": a plain on/off command said of one device by its whole name.

        A name made only of kind words is no placeholder, so the model may read no command in
        it; the registry names exactly one device so, and on/off is all the sentence says.
        """
        said = power_command(text)
        if said is None:
            return []
        on, thing = said
        devices = self.resolver.named_exactly(thing)
        service = (ON if on else OFF).get(devices[0].domain) if len(devices) == 1 else None
        return [Frame(service, name=thing)] if service else []


    def _by_parts(self, source: str) -> list[Frame] | None:
        """The frames of each part of `source` joined by "and" (or by a comma, gone in normalising: a verb right after
        a name) that has a verb of its own, read on its own; None where there are no such parts or one reads as
        nothing. Only for a sentence the model half understood."""
        parts = [part.strip() for part in PARTS.split(source)]
        told = [part for part in parts if TOLD_PART.match(part)]  # "i smell gas, close the gas valve": no request in it
        parts = [part for part in parts if part not in told] if told and len(told) < len(parts) else parts
        named = re.findall(r"\b[a-z]+_\d+\b", parts[0])
        if len(named) == 1:  # "clear the fault on machine_1 and restart it": "it" is the one device the first part names
            parts = [parts[0], *(re.sub(r"\b(?:it|them)\b", named[0], part) for part in parts[1:])]
        if len(parts) < 2 or any(not part or verbless(part.split()) and part.split()[1:2] not in (["the"], ["my"], ["our"])
                                 for part in parts[1:]):  # "lock the lock_1": a kind word used as a verb
            return None
        frames: list[Frame] = []
        for hypotheses in self.outputs.translate_nbest(parts):
            read = best_frames(hypotheses)
            if not read:
                return None
            frames += read
        return frames

    def _missing_device(self, text: str) -> ResolveError | None:
        """Why "turn on the jacuzzi" cannot be done, when the model read no command in it.

        Said of a thing the registry lacks, a plain on/off command is a request for a
        device we do not have ("no device matches 'jacuzzi'"), more use to the person
        than "not understood". Said of one device by its whole name, `_switched_by_name` did it;
        said of anything else we have, the model's doubt stands: no guess.
        """
        said = power_command(text)
        thing = said[1] if said else ""
        if not thing or NOT_AN_OBJECT & set(thing.split()):
            return None
        try:
            self.resolver.resolve([Frame("query.get_state", name=thing)])
        except ResolveError as exc:
            return exc if exc.code == "unknown_device" else None
        return None

    def _fail(self, status: str, code: str, message: str) -> ParseResult:
        return ParseResult(status=status, error=ErrorInfo(code=code, message=message), model=self.model_info)  # type: ignore[arg-type]
