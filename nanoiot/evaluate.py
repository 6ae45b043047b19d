"""Accuracy of a model: exact match on generated sentences, label accuracy on real ones.

Exact match means the same actions (service, target set, data) as the
expected frames give, each sentence resolved against a registry made from its
own expected frames plus a distractor device, so names and areas must be right.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

from nanoiot.delex import Delexicalized, Lexicon, relexicalize
from nanoiot.engine import Engine
from nanoiot.parser import CommandParser, best_frames
from nanoiot.registry import Device, Registry
from nanoiot.resolver import ResolveError, Resolver
from nanoiot.train import lexicon as lx
from nanoiot.train.real_data import load_jsonl
from nanoiot.vocabulary import Frame, VocabularyError, parse_output


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "x"


def _domain_of(name: str | None) -> str:
    return next((domain for domain, names in lx.DEVICE_NAMES.items() if name in names), "switch")


def registry_for(frames: list[Frame], rng: random.Random) -> Registry:
    devices: dict[str, Device] = {}

    def add(domain: str, name: str, area: str | None) -> None:
        device_id = f"{domain}.{_slug((area or '') + ' ' + name)}"
        devices.setdefault(device_id, Device(id=device_id, name=name, area=area, domain=domain))  # type: ignore[arg-type]

    for frame in frames:
        domain = frame.service.split(".")[0]
        if domain == "query":  # a queried device is whatever kind its name says, as in a real registry
            domain = "sensor" if frame.data.get("attribute") else _domain_of(frame.name)
        if frame.name:
            add(domain, frame.name, frame.area)
        elif frame.area:
            add(domain, f"{frame.area} {domain}", frame.area)
        else:
            add(domain, f"main {domain}", "main area")
        if frame.name or frame.area:
            add(domain, rng.choice(lx.DEVICE_NAMES[domain]) + " x", "elsewhere")
    return Registry(devices=list(devices.values()))


def _actions(resolver: Resolver, frames: list[Frame], text: str | None = None) -> Any:
    try:
        return [(a.service, tuple(sorted(a.targets)), tuple(sorted(a.data.items()))) for a in resolver.resolve(frames, text=text)]
    except ResolveError as exc:
        return ("error", exc.code)
    except VocabularyError:
        return ("error", "not_understood")


def exact_match_on_pairs(model_dir: Path | Engine, pairs: list[tuple[str, str]]) -> float:
    """Share of (normalised text, target) pairs whose resolved actions match exactly.

    Each sentence meets its own registry before the model, as at run time, so a model
    trained with placeholders sees its registry's names and areas replaced.
    """
    engine = model_dir if isinstance(model_dir, Engine) else Engine(model_dir)
    rng = random.Random(5)
    expected = [parse_output(target) for _, target in pairs]
    registries = [registry_for(frames, rng) if frames else None for frames in expected]
    delex = engine.manifest.raw.get("placeholders")
    sources = [Lexicon.from_registry(reg).delexicalize(text) if delex and reg else Delexicalized(text, {})
               for (text, _), reg in zip(pairs, registries)]
    outputs = engine.translate_nbest([source.text for source in sources])
    right = 0
    for (text, _), want_frames, registry, source, output in zip(pairs, expected, registries, sources, outputs):
        got = best_frames(output)
        if registry is None:  # not a command: right when nothing parses into an action
            right += not got
            continue
        if got is None:
            continue
        resolver = Resolver(registry)
        right += _actions(resolver, relexicalize(got, source.slots), text) == _actions(resolver, want_frames)
    return round(right / max(1, len(pairs)), 4)


def unregistered_names(model_dir: Path | Engine, pairs: list[tuple[str, str]]) -> dict[str, float]:
    """What the parser answers to commands naming a device the registry lacks (it holds one other lamp).

    `acted`: share answered `ok` anyway (must stay near 0); `named`: share refused as
    unknown_device quoting a phrase that holds the name said ("the sunroom sliding gate"),
    the answer that tells the user what went wrong.
    """
    engine = model_dir if isinstance(model_dir, Engine) else Engine(model_dir)
    parser = CommandParser(engine, Registry(devices=[Device(id="light.other_lamp", name="other lamp", area="attic", domain="light")]))
    cases = [(text, frames[0].name) for text, target in pairs
             if len(frames := parse_output(target)) == 1 and frames[0].name]
    results = parser.parse_batch([text for text, _ in cases])
    acted = sum(result.status == "ok" for result in results)
    named = 0
    for (_, name), result in zip(cases, results):
        quoted = re.search(r"'(.+)'", result.error.message) if result.error and result.error.code == "unknown_device" else None
        named += bool(quoted) and f" {name} " in f" {quoted.group(1)} "
    total = max(1, len(cases))
    return {"acted": round(acted / total, 4), "named": round(named / total, 4), "n": len(cases)}


DATA = Path(__file__).parent / "data"
HANDWRITTEN = DATA / "handwritten_commands.jsonl"
HELPER_COMMANDS = DATA / "helper_commands.jsonl"

# helper_commands.jsonl:
#   150 sentences by a helper that read only the example registry's device list (2026-11-30): 60 requests, 60
#   statements naming a device, 30 that must do nothing. Read blind once (2.1.0: 58 requests done, 5 statements acted
#   and 9 read state); the rules of that day were written after, so it is blind only for later models and rules.
#   A state read where nothing was asked counts as a miss here.
#   Since 2026-12-01 a device that lists its capabilities is sent only what they say it takes: 5 expectations of this
#   set and the next that gave a colour or a position to a device without one now expect nothing
# helper_requests.jsonl:
#   120 hard requests by another helper, same day, same reading (90 with one right answer: several requests in one
#   sentence, exceptions, numbers in words, slips, "it"; 30 that must do nothing: negations, events, devices the site
#   lacks, a kind in several rooms said from a source placed nowhere). Read blind once with 2.1.0: 4 acted wrongly
#   (3 fixed that day, the fourth a state read); 2 requests "turn X on and set it to N" are two actions, accepted (`or`)
# helper_requests_2.jsonl:
#   150 by a third helper, 2026-12-01, same reading (85 requests: corrections, "it", small talk before the request; 65
#   that must do nothing: requests taken back, "leave X alone", quoted speech, the past, what-ifs). Read blind once with
#   the code of that morning: 120 accepted, 8 wrong actions (fixed that day). One line changed after: "in an hour,
#   switch off the space heater" was "none"; the gateway keeps such a delay (nanoiot.when) and does it then
# helper_requests_3.jsonl:
#   150 by a fourth helper, same day, same reading (90 requests, half from plant staff, half at home; 60 that must do
#   nothing). Read blind once with that day's rules up to helper_requests_2's: 130 accepted, 10 acted otherwise than
#   expected; 7 fixed that day, and 3 expectations changed to the gateway's design: "close the blinds" is the device
#   called blinds (issue 14), 9000 K is in the vocabulary's range, "the warmest white" may be warm white (2700 K)
# helper_requests_4.jsonl:
#   150 by a fifth helper, same day, same reading: a family and guests at wall panels and voice satellites (95
#   requests, some with the satellite's area; 55 that must do nothing: songs, sarcasm, a pet, the past, questions about
#   the gateway). Read blind once with that day's rules up to helper_requests_3's: 132 accepted, 6 wrong actions, 5 fixed
#   that day; left: "yeah, open the garage door and invite the whole street in while you're at it" (sarcasm)
# helper_requests_5.jsonl:
#   150 by a sixth helper, same day, same reading: Home Assistant Assist's intents as people phrase them (110 requests,
#   some with the satellite's area; 40 that must do nothing). Read blind once with that day's rules up to
#   helper_requests_4's: 144 accepted, 6 acted otherwise than expected, 5 fixed that day; one expectation changed to the
#   vocabulary's range (9000 K, as in helper_requests_3)
# helper_requests_6.jsonl:
#   150 by a seventh helper, same day, same reading: plant staff only (90 requests; 60 that must do nothing: fault
#   reports, handover notes, SOP lines, lockouts, conditions). Read blind once with that day's rules up to
#   helper_requests_5's: 122 accepted, 9 wrong actions, all fixed that day
# helper_requests_7.jsonl:
#   150 by an eighth helper, same day, same reading: messages as they arrive (speech-recognition slips, rambling, two or
#   three sentences, emoji, forwarded messages, "just kidding"). Read blind once with that day's rules up to
#   helper_requests_6's: 109 accepted, 20 acted otherwise than expected; 16 fixed that day (capabilities among them), one
#   expectation follows the vocabulary (9000 K); left: a device the site lacks said beside one it has ("lock the front
#   door and the side gate", "open the pool cover as well as the garage door", "pendant lights off + oven off")
# helper_requests_8.jsonl:
#   150 by a ninth helper, same day, same reading, capabilities respected: 70 requests said in passing, 80 that must do
#   nothing and all name a real device (statements, opinions, plans, shopping, questions to people). Read blind once with
#   that day's rules up to helper_requests_7's: 125 accepted, 10 wrong actions, 9 fixed; left: "the roomba has a name,
#   we call it Dusty" (read as a need to clean)
# helper_requests_9.jsonl:
#   150 by a tenth helper, same day, same reading, capabilities respected: values as people say them (thirds, words,
#   Fahrenheit, modes, positions, speeds; 50 that must do nothing). Read blind once with that day's rules up to
#   helper_requests_8's: 140 accepted, 6 wrong actions, all fixed ("air conditioner on fan only" is now refused, not
#   switched off); two expectations follow the vocabulary (9000 K and 1500 K are within 1500-10000 K)
# helper_requests_10.jsonl:
#   150 by an eleventh helper, same day, same reading: several devices and references in one message (100 requests;
#   50 that must do nothing: references to nothing, contradictions, a device the site lacks beside one it has). Read
#   blind once with that day's rules up to helper_requests_9's: 113 accepted, 22 wrong actions, 9 fixed that day; 4
#   lines accept "on, and on at N" as two actions (issue 14: "turn on the desk lamp and set it to 40 percent" is both)
# helper_requests_11.jsonl:
#   150 by a twelfth helper (2026-12-01), from the device list alone: indirect wishes and situations (60), terse,
#   non-native, elderly and child phrasings (40), 50 that must do nothing. Read blind once: 106 accepted, 10 acted
#   otherwise (4 of them state reads); 6 fixed, among them "make sure nobody can get in through the front door" unlocking
#   it and "the air fryer ... switch it off" switching off the air conditioner. Most misses are indirect wishes refused
# helper_requests_12.jsonl:
#   150 by a thirteenth helper, same day: the plant floor as operators talk (80 requests, 70 that must do nothing).
#   Read blind once: 137 accepted, 10 acted otherwise (7 of them state reads); 8 fixed, among them "who's allowed to
#   start the compressor?" and "compressor's been running since start of shift" starting it, "start compressor
#   number two" starting the site's only compressor
# helper_requests_13.jsonl:
#   150 by a fourteenth helper, same day: locks, doors, covers and valves (60 requests; 90 that must do nothing: quoted,
#   reported, conditional, sarcastic, said to someone else, sneaked past). Read blind once: 139 accepted, 8 acted otherwise
#   (one a state read); 7 fixed, among them "she told me, quote, unlock the front door, unquote", "in case of a fire,
#   unlock the back door" and "unlock it" unlocking, "close the cooling water valve" closing the main water valve
# helper_requests_14.jsonl:
#   150 by a fifteenth helper, same day: comfort (heating, cooling, fans, blinds, whites; 90 requests, 60 that must do
#   nothing). Read blind once: 125 accepted, 18 acted otherwise (2 state reads; 4 were Fahrenheit rounded to the half
#   degree, as nanoiot rounds it, where the helper rounded to a tenth: those 4 expectations follow nanoiot); fixed, among
#   them "turn on the humidifier" switching on the dehumidifier, a radiator set to cool, "eco mode" read as cooling
# helper_requests_15.jsonl:
#   150 by a sixteenth helper, same day: scope ("all", "every", "except", "both", "either", "one of", rooms listed; 90
#   requests, 60 that must do nothing). Read blind once: 123 accepted, 17 acted otherwise; fixed, among them "stop one of
#   the conveyors" stopping both, "every light and fan in the office" every light on the site, an exception by place
# helper_requests_16.jsonl:
#   150 by a seventeenth helper, same day: when (delays, clock times, durations the gateway keeps; repeats, vague times,
#   events, impossible times it cannot). Read blind once: 133 accepted, 16 acted otherwise (4 state reads); fixed, among
#   them "twice a day run the transfer pump", "open the garage soon", "at 32:00" and "will conveyor a start in 5 minutes?"
# helper_requests_17.jsonl:
#   150 by an eighteenth helper, same day: devices the site lacks, named near those it has ("the irrigation pump", "the
#   front gate", "the kettle and the toaster"; 90 must do nothing, 60 requests to devices it has). Read blind once: 138
#   accepted, 11 acted otherwise; 10 fixed (named.unknown_modifier)
# helper_requests_18.jsonl:
#   150 by a nineteenth helper, same day: values (fractions, words, units the vocabulary lacks, changes by an amount,
#   ranges, out of range). Read blind once: 136 accepted, 10 acted otherwise; 8 fixed ("steam valve to 2 bar", "90 psi",
#   "down 5 percent" of a speed nobody knows)
# helper_requests_19.jsonl:
#   150 by a twentieth helper, same day: text from kids, guests, pranksters and attackers (prompt injection, role play,
#   quoted or spelled-out commands, Morse, poems, nonsense; 40 plain requests, 110 must do nothing). Read blind once:
#   122 accepted, 25 acted otherwise (2 state reads; unlocks, the garage door, the steam valve, mixers); the 23 that moved a
#   device fixed
# helper_requests_20.jsonl:
#   150 by a twenty-first helper, same day: short Assist-style commands and questions (120 with an action, 30 none).
#   Read blind once: 148 accepted; left: "no, leave the curtains closed" closes them
# helper_requests_21.jsonl:
#   150 by a twenty-second helper, same day: slips and self-corrections, especially where a slip inverts the meaning
#   (100 requests, 50 none). Read blind once: 89 accepted, 28 acted otherwise ("Unlock, sorry, LOCK the front door"
#   unlocked it, "close the garage, I mean open it" closed it); 15 fixed
# helper_requests_22.jsonl:
#   150 by a twenty-third helper, same day: emergencies and shutdowns (90 with an action, 60 none). Read blind once: 113
#   accepted, 5 acted otherwise ("unlock all the doors now" unlocked one, "open every valve in the pump house" opened one)
# helper_requests_23.jsonl:
#   150 by a twenty-fourth helper, same day: several requests and references in one message (100 with actions, 50 none).
#   Read blind once: 104 accepted, 19 acted otherwise (most split into two actions what one could say, or left a part
#   out); fixed: a part naming what the site lacks ("conveyor c", "the side gate"), two values for one setting, "it ...
#   too" with nothing before it, and "on now and off in 3 hours" (now on for 3 hours)
# helper_requests_24..52.jsonl: docs/model.md (sessions seven to nine), each read on the example site
# helper_requests_53..60.jsonl, each with its own `.site.json`:
#   eight helpers (2026-12-01, tenth session) each designed a site in a style of its own (a shared flat, a family house,
#   a bakery, a market garden, a machine shop, a holiday rental, an office floor, a house of word-named devices) and
#   wrote 150 lines for it (90 requests, 60 none), reading only a brief. Read blind once: 4, 4, 8, 8, 5, 8, 5 and 8 acted
#   otherwise than expected (under the expectations as finally set: 11 were changed to the gateway's design, listed in
#   docs/model.md); 45 of the 50 fixed that session
# helper_requests_61..68.jsonl, each with its own `.site.json`: a second eight, same day, same brief (an elderly woman's
#   flat, a school, a bed and breakfast, a brewery, a boat, a tinkerer's home, a dairy farm, a bilingual home). Under the
#   session's start and the final expectations (29 changed to the gateway's design, docs/model.md): 1, 6, 6, 5, 7, 7, 6
#   and 16 acted otherwise than expected; 50 of the 54 fixed that session
# helper_requests_69..72.jsonl, each with its own `.site.json`: a third four, same day, same brief (a shared student
#   house, a water treatment works, a voice-assistant power user's house, a care home; 10 expectations changed to the
#   design): 8, 7, 5 and 9 acted otherwise than expected at the session's start; 12 left (docs/model.md)
# helper_requests_73..88.jsonl, each with its own `.site.json`: sixteen helpers (2026-12-01, eleventh session), same
#   brief (a vet clinic, a restaurant kitchen, a data centre, a family with teenagers, a cold store, a home of
#   second-language speakers, a recording studio, a car repair garage; a hotel, a vertical farm, a ski chalet, a dental
#   practice, a fishkeeper's home, a church and hall, a voice-only home, a leisure centre). On the session's start, under
#   the final expectations (29 changed to the design, docs/model.md): 7, 5, 7, 10, 9, 9, 5, 9, 8, 12, 4, 6, 3, 7, 6
#   and 9 acted otherwise than expected; 20 left
# helper_requests_89..96.jsonl, each with its own `.site.json`: eight more, same session, written after its first rules
#   landed, from a brief that says what the gateway does with times and with a kind said in the singular (a cafe with a
#   flat, a sawmill, student halls, a teaching lab, a co-working space, a caravan park, a home with early dementia, a
#   pub with rooms; 3 expectations changed to the design): 7, 3, 4, 5, 5, 5, 4 and 7 on the session's start, 6, 2, 3, 3,
#   3, 4, 4 and 5 read blind on the rules of the time; 5 left
# helper_requests_97..111.jsonl, each with its own `.site.json`: fifteen helpers (2026-12-01, twelfth session), the same
#   brief (a vet clinic with a flat, a canal marina and narrowboat, a microbrewery, a dental practice beside its owner's
#   house, a dairy farm, a student flatshare, a vertical farm; then, written after the session's first rules, a climbing
#   gym, a theatre, a garden centre, a tattoo studio with a flat, a laundrette, a glamping site, an aquarium and reptile
#   shop, a family home with a workshop). Read on an AMD EPYC machine at the session's start, under the final
#   expectations (changed to the design: docs/model.md): 5, 8, 5, 4, 5, 5, 6 and 5, 7, 7, 2, 2, 8, 6, 4 acted
#   otherwise than expected
# helper_requests_112..117.jsonl and 119, each with its own `.site.json`: seven more, same session, after its second
#   rules (a hair salon, a car wash, a pottery, a fire station, an elderly couple's bungalow, a self-storage site, a
#   rooftop bar; 118's site was overwritten by a helper's slip): 8, 5, 1, 4, 6, 8 and 5 at the session's start
# helper_requests_120..125.jsonl, each with its own `.site.json`: six more after its third rules (a family home, a print
#   shop, a village school, a holiday cottage, a bakery, a smallholding): 8, 3, 4, 2, 6 and 3 at the session's start;
#   31 of the session's 142 left
# helper_requests_126..146.jsonl, each with its own `.site.json`: twenty-one helpers (2026-12-01, thirteenth session),
#   the same brief (an escape room, a mushroom farm, a hostel, a physio clinic with a pool, a wheelchair user's flat, a
#   food-truck commissary, a cinema, a mosque and community centre, a body shop; after its first rules kennels, a bus
#   depot, a recording studio, a library; after its second an ice rink, a funeral home, a house being renovated, a
#   petrol station; after its third a zoo's big-cat house, a boatyard, a blind man's flat, a GP surgery): 9, 5, 6, 6,
#   9, 2, 5, 11, 5, 5, 8, 8, 8, 5, 10, 6, 4, 7, 6, 3 and 5 at the session's start; 42 of 133 left
# helper_requests_147..182.jsonl, each with its own `.site.json`: thirty-six helpers (2026-12-02, fourteenth session), the
#   same brief, in four rounds of eight and one of four, each read blind on the rules of the rounds before (a honey farm, a livery yard,
#   a trout farm, a bowling alley, a winery, a Glasgow flat with a newborn, a wedding barn, a chip shop; a dog groomer,
#   a conference centre, a fishing harbour, a Jamaican-British home, a creamery, a boxing gym, a motorhome, a coffee
#   roastery; an airfield, a village shop, an Alpine hut, a festival site, a daycare nursery, a hotel spa, an Indian
#   restaurant, a smokehouse; a farm vet hospital, a students' house, a car dealership, a lighthouse B&B, a recycling
#   centre, a Deaf couple's home, a lido, a packaging plant; an allotment, a barbershop, a pharmacy, a scenery workshop):
#   205 wrong actions at the session's start, 63 left


def _probe_order(path: Path) -> int:
    number = path.stem.rpartition("_")[2]
    return int(number) if number.isdigit() else 1


# what `nanoiot eval` reports: hand-written, then each helper's probe in the order they were written
WRITTEN_SETS = {"handwritten_commands": HANDWRITTEN, "helper_commands": HELPER_COMMANDS} | {
    path.stem: path for path in sorted(DATA.glob("helper_requests*.jsonl"), key=_probe_order)}


def site_of(path: Path) -> Path:
    """The registry a probe was written for: its own site (`<probe>.site.json`, a site its writer designed) or the
    example home and plant."""
    from nanoiot.registry import default_registry_path

    own = path.with_suffix(".site.json")
    return own if own.exists() else default_registry_path()


def handwritten_commands(engine: Engine, path: Path = HANDWRITTEN) -> dict[str, Any]:
    """Commands written by hand for the example home and plant or a site of their own (never trained on), through
    the whole parser.

    Each line says what a user would accept: the actions (service, targets, and the data keys
    it names: a number, "+"/"-" for a step's sign, "*" for any value), an alternative (`or`),
    or "none" (nothing may act). `setpoints` stand in for the thermostats' reported state.
    """
    from nanoiot.registry import load_registry

    cases = load_jsonl(path)
    setpoints: dict[str, float] = {k: v for case in cases for k, v in case.get("setpoints", {}).items()}
    parser = CommandParser(engine, load_registry(site_of(path)))
    results = parser.parse_batch([c["text"] for c in cases], [c.get("area") for c in cases], setpoints=setpoints.get)
    misses = [case["text"] for case, result in zip(cases, results) if not _accepted(case, result.model_dump())]
    return {"commands": len(cases), "accuracy": round(1 - len(misses) / len(cases), 4), "misses": misses}


def _accepted(case: dict[str, Any], result: dict[str, Any]) -> bool:
    """As `expect` or its alternative `or` says ("none" for either: nothing done)."""
    actions = result["actions"] if result["status"] == "ok" else []
    return any(result["status"] != "ok" if want == "none" else _same_actions(want, actions)
               for want in (case["expect"], case.get("or")) if want)


def _same_actions(want: list[list[Any]], actions: list[dict[str, Any]]) -> bool:
    """The same thing done to the same devices: one action on two lights is two actions on one light each."""
    wanted = sorted((((service, target), data) for service, targets, data in want for target in targets), key=_by_key)
    done = sorted((((a["service"], target), a["data"]) for a in actions for target in a["targets"]), key=_by_key)
    return [key for key, _ in wanted] == [key for key, _ in done] and all(
        _same_data(w, d) for (_, w), (_, d) in zip(wanted, done))


def _by_key(item: tuple[tuple[str, str], dict[str, Any]]) -> tuple[str, str, str]:
    return (*item[0], json.dumps(item[1], sort_keys=True))


def _same_data(want: dict[str, Any], got: dict[str, Any]) -> bool:
    for key, value in want.items():
        if key not in got:
            return False
        if value == "+" and not got[key] > 0 or value == "-" and not got[key] < 0:
            return False
        if value not in ("+", "-", "*") and got[key] != value:
            return False
    return True
