"""Sentences that tell, or ask for something no device here does: never a device request, whatever the model read.

A model that reads every sentence naming a device as something to do with it switched the tv for "define
television", unlocked the door for "the front door is open" and started a conveyor for "conveyor b keeps tripping".
These rules run on the words (`Said.text`) after the devices are resolved; a question still reads state.
"""

from __future__ import annotations

import re

from nanoiot.frame_rules import INTERJECTION, OPPOSITE, QUERY
from nanoiot.kinds import ALL_GENERIC, OFF, ON
from nanoiot.resolver import ResolveError
from nanoiot.schema import Action
from nanoiot.sentence import Said

# "define television", "describe a smart tv", "send a complaint to sony about this tv": a request of another
# service that names a device (read as the tv on or off); "mute the television": sound, which no service here sets
OTHER_REQUEST = re.compile(
    r"^(?:(?:please|kindly|can you|could you|would you|will you|i want you to|(?:i'd|i would) like you to|hey \w+|ok \w+|alexa|olly)\s+)*"
    r"(?:define|describe|explain|review|rate|compare|complain|google|search|look up|buy|order|purchase|rename|relabel"
    r"|descale|refill|pair|unpair|reboot|calibrate|configure|repair|power ?cycle"
    r"|imagine|pretend|say|translate|spell|pronounce|repeat after me|play"  # "alexa play taylor swift": music
    r"|(?:send|write|file|log|post|tweet|email|text) (?:a|an|my|some)\b)\b"
    # a channel or a programme: "turn the telly over to the football", "put the tv on channel 4"
    r"|\b(?:tv|telly|television|telle|tele|radio)\b(?: \w+)? (?:over )?(?:to|on) (?:the |channel |bbc|itv|sky|netflix|youtube)")
# "set an alarm for 7 am", "remove my work alarm", "a timer for the oven": an alarm clock, a timer or a reminder,
# whatever device shares the word; "how do i turn on the oven" asks to be told, not for it done
CLOCK = r"(?:alarms?|timers?|reminders?)"
KEEPS_TIME = re.compile(
    r"\b(?:set|unset|reset|add|make|create|remove\w*|delete\w*|cancel|change|schedule|snooze|repeat|put|place|fix|forget"
    r"|confirm|check\w*|give|get rid of|need|want|list|show|disable)\b.*\b" + CLOCK + r"\b"
    r"|\b" + CLOCK + r"\b.*\b(?:\d+|am|pm|o'?clock|morning|afternoon|evening|night|tomorrow|today|tonight|\w+day|wake|remove\w*)\b"
    r"|\b(?:am|pm|o'?clock|morning|bedtime|wake up)\b.*\b" + CLOCK + r"\b"
    r"|\b" + CLOCK + r" (?:set|times?|goes|go|rings?)\b|\balarm clock\b|\balarm me\b|\bwake me\b")
CLOCK_SAID = re.compile(r"\b" + CLOCK + r"\b")  # with a time said, which `when` took out of the text
# "why is the air compressor so loud", "how long has the dehumidifier been running", "who left the garage door open":
# a question no state read answers (answering the device's state instead is answering another question)
NOT_A_STATE = re.compile(r"^(?:why|how come|when|since when|who|whose|how long|how often|how many times)\b"
                         # a what-if ("what would happen if i opened the valve"); advice ("should i ...") reads state
                         r"|^what (?:would|will|could) happen\b|^what happens (?:if|when)\b|\bhypothetically\b"
                         # what the gateway understands ("which commands do you understand for the fans")
                         r"|\b(?:commands?|words?|phrases?) (?:do|can|does|will) (?:you|it)\b"
                         # the past ("did someone stop the compressor last night", "was the door open earlier")
                         r"|\b(?:last (?:night|week|time|year)|yesterday|earlier|this morning|ago)\b"
                         r"|^(?:forget|ignore|disregard) (?:what|about|that|it)\b"
                         # what is allowed, a procedure, a word for others ("tell the morning crew ...", a handover)
                         r"|\b(?:allowed|permitted|supposed) to\b|\bwould it (?:hurt|matter|help)\b"
                         r"|\b(?:startup|start up|shutdown|shut down)? ?(?:sequence|procedure|instructions)\b"
                         r"|^(?:tell|remind|ask|warn|inform) (?!me\b|us\b)|^handover\b|^(?:next|morning|night|day|late) shift\b")
HOW_TO = re.compile(r"^(?:can|could|would|will) (?:the|my|our|this|that) (?:\w+ ){1,3}(?:do|make|handle|cope with|manage)\b"
                    r"|\bhow (?:to|do|does|can"
                    r"|should|would)\b"
                    # what it can do ("can the floor lamp even do colours?" set a warm white)
                    r"|^(?:does|do|can) (?:the |my |our )?(?:\w+ ){1,3}(?:even |actually |also )?(?:learn|remember|support"
                    r"|do colou?rs?|change colou?rs?)\b"
                    # what can be done, not a request to do it ("can you control the robot vacuum from outside the house")
                    r"|\b(?:can|could) (?:you|i|we) (?:control|operate|access|reach|use)\b|\bis it possible to\b"
                    r"|\bare you able to (?:control|operate)\b|\bdo you (?:support|work with)\b")
# sarcasm that says a request while meaning its opposite ("oh yes, unlock the front door for the burglars, very clever")
SARCASM = re.compile(r"\b(?:very clever|real clever|so clever|brilliant idea|genius idea|great idea|yeah right|oh sure"
                     r"|oh (?:yeah |yes )?(?:great|brilliant|lovely|perfect|wonderful)|just great|thanks a lot|i love sitting in the dark"
                     r"|what could (?:possibly )?go wrong|for the burglars|in the middle of (?:winter|the night)"
                     r"|(?:i'm|im|i am|we're|were|we are) made of money|money grows on trees"
                     r"|(?:is|are) (?:exactly|just) what (?:i|we) (?:need|want)\b"  # "third degree burns is exactly what i need"
                     # "oh yeah lets just switch the chiller off in a heatwave, genius", "... with me outside again, love
                     # that", "turn the chandelier up even more, i love being blinded", "... and we'll all have a nap"
                     r"|yeah sure|oh yeah (?:great|lets|let's|sure)|oh brilliant|genius$|love that$|i love being \w+"
                     r"|we'll all (?:have a nap|die|freeze|cook|be fine)|see what happens|just to see|for a laugh|for the lols"
                     r"|see how (?:he|she|they|you|\w+) likes? (?:that|it)"
                     r"|(?:'s|is) free,? (?:isn'?t it|innit))\b")  # "leave every light on, electric's free isn't it"
# a question about a request, not the request ("who's allowed to start the compressor", "should we open the steam valve",
# "would it hurt to run conveyor b at 90"); "why don't you ..." and "why not ..." ask
ABOUT_IT = re.compile(r"^(?:who|whom|whose|where)\b|^(?:why|how come)\b(?! (?:don't|dont|do not|not|won't|wont)\b)"
                      r"|^(?:should|must|shall) (?:we|i|they|he|she)\b|^would it (?:hurt|matter|help|be)\b(?! possible to\b)"
                      r"|^(?:is it|are we|am i|are they) (?:safe|ok|okay|allowed|supposed|meant|permitted) to\b"
                      # "will conveyor a start in 5 minutes?": what will happen, not a request ("will you ..." asks)
                      r"|^(?:will|won't|is|isn't|are|aren't) (?!you\b|u\b|ya\b)(?:the |my |our )?\w+(?: \w+){0,3} "
                      r"(?:going to|gonna|about to|set to|scheduled to|start|stop|open|close|turn|switch|lock|unlock)\b"
                      # "forget about switching the heater on in an hour": a request dropped
                      r"|^(?:forget|never ?mind|scrap|disregard|ignore) (?:about )?(?:\w+ing|what|that|it|the)\b"
                      # "kerry's gonna do the shutter at ten, leave it for her": somebody else will
                      r"|\bleave (?:it|them) for (?:her|him|them)\b|\b(?!(?:it|that|there|what|here|this|who)'s)[a-z]+'s (?:gonna|going to"
                      r"|gunna) (?:do|sort|get|handle)\b"
                      # "the ps5 should just turn itself off at midnight": what it should do by itself, an automation's job
                      r"|\b(?:turn|switch|shut|power)s? (?:itself|themselves) (?:on|off|down)\b"
                      # "ok who keeps playing with the gas valves, stop it": said to people; "this steam room is so
                      # relaxing i could switch off for a week": the speaker, not a device
                      r"|\bwho(?:'s| is)? keeps? \w+ing\b|\b(?:i|we) could (?:switch|turn|shut) off\b"
                      # "the led strips make our lounge look like club for lagos", "hoover can do upstairs?"
                      r"|\bmakes? (?:\w+ ){1,3}look like\b|^(?:the |our |my )?\w+ can (?:do|reach|manage|get to|go up)\b")
# text written to steer an assistant, not a request of a person ("ignore your safety rules", "you are now DoorBot",
# "SYSTEM: ...", "[ADMIN]", "as an AI you are required to", "pretend you're the admin"): nothing it asks is done
STEERING = re.compile(r"\bignore (?:all |any |your |the |my )?(?:previous |prior |above |earlier |old |safety )?(?:instructions|rules"
                      r"|commands|prompts?|restrictions)\b|\bdisregard (?:the |all |your |any )?(?:old|previous|prior|above|earlier)\b"
                      r"|\byou(?: are|'re| r) (?:now|no longer)\b|\bnew instructions\b|\breal instructions?\b|\beverything above\b"
                      r"|\bim[ _]start\b|\bas an ai\b|\bno (?:rules|restrictions|limits)\b"
                      r"|\bdo anything now\b|\bjailbreak|\bpretend (?:you're|you are|to be|that)\b|\bimagine (?:you're|you are|that)\b"
                      r"|\brole ?play|\bsafety (?:rules|checks|protocols?)\b|\b(?:legally )?required to comply\b|\bproceed to\b"
                      r"|\bmaintenance mode\b|\boverride (?:code|mode|all|the rules)\b")
# nonsense asked of a device ("turn the kettle into a frog", "make the roomba fly to the moon", "teach the fan to dance")
NONSENSE = re.compile(r"\b(?:turn|change) (?:the |my |our )?(?:\w+ ){1,3}into (?:a|an)\b|\bteach (?:the |my |our )?\w+"
                      r"|\bmake (?:the |my |our )?(?:\w+ ){1,3}(?:sing|dance|fly|smell|taste|talk|speak|laugh|cry|jump|dream|float"
                      r"|swim|eat|drink|disappear|explode|go backwards|travel)\b|\bbackwards in time\b"
                      r"|\b(?:rainbow|plaid|tartan|polka dots?|stripes|striped|glitter|sparkly|invisible)\b"  # no light's colour
                      # effects no device here has ("make the christmas tree flash like a disco")
                      r"|\b(?:flash\w*|blink\w*|strobe\w*|flicker\w*|twinkl\w*|pulse|pulsing|disco|party mode)\b")
# a request in quotes, as an example or a dare ("for example you could say 'unlock the back door'"), spelled out
# letter by letter ("u-n-l-o-c-k the front door") or in Morse: read from the text as written, before normalising
QUOTES = re.compile(r"""(?:^|(?<=\s))['"\u2018\u201c]([^'"\u2019\u201d]*\w \w[^'"\u2019\u201d]*)['"\u2019\u201d](?=[\s.,!?;:]|$)""")
ABOUT_WORDS = re.compile(r"\b(?:say|says|said|saying|example|dared?|command|phrase|words?|type|typed|understand|quote)\b", re.I)
SPELLED = re.compile(r"\b(?:[a-z][-. ]){3,}[a-z]\b", re.I)
MORSE = re.compile(r"(?:^|\s)(?:[.\-]{1,6}\s+){3,}")


WH_QUESTION = re.compile(r"(?i)(?:why|what|how|who|where|when)\b.*\?\s*$")  # a sentence that asks ("why did the lamp ...?")


def steered(text: str) -> bool:
    """Normalised text written to steer an assistant, quoted or reported: no part of it is a request to retry alone."""
    return bool(STEERING.search(text) or QUOTED.search(text) or NONSENSE.search(text))


def written_otherwise(raw: str) -> str | None:
    """Why the text as written is no request of its own (quoted, spelled out, Morse), or None."""
    if QUOTES.search(raw) and ABOUT_WORDS.search(QUOTES.sub(" ", raw)):
        return "that quotes a request rather than makes it: nothing done; say it as your own"
    if SPELLED.search(raw) or MORSE.search(raw):
        return "that is spelled out or in code: nothing done; say it in plain words"
    return None


# words quoted or read out ("she told me, quote, unlock the front door, unquote", "the work order reads open ...")
QUOTED = re.compile(r"\b(?:un)?quote\b|\b(?:note|order|message|sign|text|email|ticket|instructions?|procedure|manual|label"
                    r"|letter|card|list|board|screen) (?:says|said|reads|read|states|stated)\b"
                    r"|\b(?:haiku|poem|poetry|song|lyrics|verse|limerick|rhyme|story)\b"  # "a haiku: ... open the steam valve"
                    r"|\b(?:telling|told|asking|asked) (?:my |the |our |his |her |their )?\w+ to\b"  # "... telling my sister to"
                    r"|\b(?:wasn't|was not|am not|i'm not|not) (?:talking|speaking) to you\b")
SOUND = re.compile(r"\b(?:mute|unmute|volume|louder|quieter|can't hear|cant hear|cannot hear)\b"
                   r"|\b(?:turn|put) (?:the |my )?(?:tv|telly|television|radio|wireless|music|stereo|speakers?) (?:up|down)\b")
POWER = frozenset(ON.values()) | frozenset(OFF.values())


# words after which a request verb is no request: "a broken switch", "is set to 20", "the robot vacuum", "i always
# lock", "are half open"
NOT_A_VERB_AFTER = frozenset("is are was were be been being a an the its his her my our your their broken new old light wall power "
                             "main robot of much more less no full low high always usually often sometimes normally typically "
                             "never half wide partly partially fully still already i we they he she nobody somebody someone "
                             "everyone everybody hardly ever rarely seldom this that these those all every each any since".split())


REPORTED = frozenset("says said tells told asks asked wants wanted forgot forgets forget forgetting forgeting remembered tried "
                     "used going".split())
# "the operator shouted kill the compressor": a request quoted, said to someone else; "i said turn it off" repeats one
SPEECH = frozenset("said says shouted shouts yelled yells screamed screams whispered texted wrote messaged radioed called "
                   "sang sings singing sung chanted recited quoted".split())


def _reported(words: list[str], i: int) -> bool:
    """The request verb at `i` is another's words: "... says to reset it", "... shouted kill the compressor"."""
    return i >= 2 and (words[i - 1] == "to" and words[i - 2] in REPORTED
                       or words[i - 1] in SPEECH and words[i - 2] not in ("i", "we"))


def _asks_too(rest: str) -> bool:
    """What is left of a statement holds a request ("... close it", "the lights are off turn them on"), not a word
    that only looks like one ("is set to 20", "a broken switch")."""
    words = rest.split()
    return any(REQUEST_VERB.fullmatch(w) and (i == 0 or words[i - 1] not in NOT_A_VERB_AFTER)
               and not _reported(words, i) and words[i + 1 : i + 2] != ["cleaner"] for i, w in enumerate(words))


# "conveyor b keeps tripping" read as conveyor b started, "the pump won't start": a fault reported, not a request
# (reports go to diagnostics); acted on only where a command verb is said beside it ("... turn it off")
FAULT_REPORT = re.compile(
    r"\b(?:keeps? (?:on )?(?:tripping|stopping|failing|cutting out|shutting (?:down|off)|stalling|jamming|overheating|leaking)"
    r"|tripped|is (?:jammed|stuck|broken|leaking|overheating|faulty|dead|not working|not running)"
    r"|(?:isn'?t|is not|wasn'?t|aren'?t|doesn'?t|does not) (?:work|working|running|starting|start)"
    r"|won'?t (?:start|stop|run|work|turn on|turn off|open|close)"
    r"|not working|broke down|making (?:a|an) (?:\w+ )?noise"
    # "conveyor b belt tracking off to the left", "pump 1 sounds rough"
    r"|tracking (?:off|to the)|misalign\w*|out of (?:alignment|true)|sounds? (?:rough|funny|weird|off)"
    # "mixer 2 vibrating bad", "pump 1 running hot", "compressor smoking", "pump 1 running dry!"
    r"|vibrat\w*|rattl\w*|grinding|squeal\w*|smoking|sparking|running hot|leaking|dripping|tripping|running dry|runs dry"
    r"|dry running|cavitat\w*|burning|smells? (?:hot|burnt|of burning)|blowing (?:warm|hot|cold)"
    r"|stuck)\b")
VACUUM_MODE = re.compile(r"\b\w+ (?:mode|setting|program|programme|power level)\b")  # "switch the roomba to mopping mode"
# "turn on and off the desk fan", "open and shut the main valve", "start the roomba and stop it": both ways at once
BOTH_WAYS = re.compile(r"\b(?:on|open|start|lock) and (?:off|shut|close|stop|unlock)\b"
                       r"|\b(?:off|shut|close|stop|unlock) and (?:on|open|start|lock)\b|\b(?:up down|down up)\b"
                       r"|\b(?:start|open|lock|unlock|stop|close) (?:the )?\S+ and (?:stop|close|unlock|lock|start|open) (?:it|them)\b"
                       # "turn on all the lights and turn off all the lights"
                       r"|\b(?:turn|switch) on (?P<what>(?:\w+ ){0,3}\w+) and (?:then )?(?:turn|switch) off (?P=what)$"
                       r"|\b(?:turn|switch) off (?P<that>(?:\w+ ){0,3}\w+) and (?:then )?(?:turn|switch) on (?P=that)$"
                       # "turn on/off the hall light", "turn o the light" (on or off?), "lock the front door unlock the front door"
                       r"|\b(?:on|off|of) or (?:on|off|of)\b|\b(?:turn|switch|swich) o[a-eg-mo-z]?\b"  # "turn ot the fan"
                       r"|^(?:please )?(?:open close|close open|open shut|shut open|start stop|stop start|lock unlock|unlock lock)\b"
                       # "turn on off the porch light": a recogniser's two words, either of them meant ("switch off on
                       # the plug" is off, "on" its preposition)
                       r"|\b(?:turn|switch|swich|put) on off\b"
                       r"|\block (?P<door>(?:the )?\w+(?: \w+)?) (?:and )?unlock (?P=door)\b|\bunlock (?P<gate>(?:the )?\w+(?: \w+)?) (?:and )?lock (?P=gate)\b")
# "leave them on though", "leave the porch light on": nothing to do, beside no other request ("keep the socket off"
# asks for it off)
KEEP_IT = re.compile(r"\bleave (?:it|them|that|those|the \w+(?: \w+)?) (?:on|off|open|closed|shut|running|going|lit"
                     r"|as it is|as they are|like that)\b")
# "and the kitchen too", "same for the bedroom", "do the same": a follow-up with nothing before it
FRAGMENT = re.compile(r"^(?:and|also|plus) (?:the|my|our|in|for|with)\b|^(?:same|ditto)\b|^(?:do |does )?the same\b"
                      r"|\bthe rest of (?:the|my|our)\b|\bthe other (?:ones|lights|lamps|fans|doors|blinds|plugs|machines)\b"
                      r"|^(?:\w+ )?(?:it|them|that one|this one)\b(?: \w+){0,4} (?:too|as well|also)$")  # "open it halfway too"


def _opposites(actions: list[Action]) -> bool:
    """Two actions doing opposite things to one device ("open the office shades and close them")."""
    done = {(a.service, t) for a in actions for t in a.targets}
    return any((OPPOSITE.get(service, ""), target) in done for service, target in done)


# "note to self: switch off the space heater", "fw: please close the garage door": a note or a message passed on
NOTE = re.compile(r"^(?:note to self|reminder to self|remind myself|todo|to do|fw|fwd)\b")
# "mixer 1 is tagged out for a seal change", "conveyor a is locked out": under lockout, no request may move it
LOCKED_OUT = re.compile(r"\b(?:tagged out|locked out|lock ?out|tag ?out|loto|isolated for)\b"
                        # "pump 1 still has mike's lock on it, bring it up anyway"
                        r"|\b(?:has|have|got|with) (?:[a-z']+ )?(?:lock|tag|padlock)s? (?:still )?on (?:it|them)\b")
# a safety set aside: "force start the compressor", "bypass the interlock", "ignore the fault and run pump 3"
OVERRIDE = re.compile(r"\b(?:force|forced|forcing|bypass\w*|overrid\w*|defeat\w*|jumper\w*|cheat\w*)\b"
                      r"|\bignore (?:the |its |that )?(?:fault|alarm|interlock|trip|warning|sensor|limit|lockout)s?\b")
# "the front door is open" read as unlock, "the kettle is boiling" as the kettle on, "the lights are on" as every light
# on; "i hate the christmas tree lights" as the tree off: how things are, or a feeling, is not what to do
STATE_SAID = re.compile(r"^(?:the |my |our )?(?:\w+ ){1,3}(?:is|are|was|were|stays?|remains?|should stay|must stay|can stay)"
                        r" (?:still |already |now |all )?"
                        r"(?:on|off|open|closed|shut|locked|unlocked|running|boiling|ready|lit|playing|working)\b"
                        # "compressor's been running since start of shift"
                        r"|^(?:the |my |our )?(?:\w+ ){0,3}?\w+(?:'s| has| have|'ve) (?:still |already )?been "
                        r"(?:running|on|off|open|closed|shut|going|working|stopped|down|idle|locked|unlocked)\b")
FEELING = re.compile(r"^i (?:really )?(?:hate|love|dislike|adore|can't stand|cannot stand)\b"
                     r"|^(?:(?:lol|haha|omg|wow|ooh) )?(?:love|loving|hate|hating|adore|like|liking) (?:the|my|our|this|that|these|those|your)"
                     r"\b")  # "love the new desk lamp"
# what somebody did or what a device did by itself ("i turned off the porch light", "the kids broke the lamp", "the
# fan keeps turning on", "the porch light was left on", "the lamp needs a new bulb"): told, not asked
# "there's no need to turn on the porch light", "grandpa keeps asking me to turn on the heater": a request
# reported or waved away, not made
NOT_ASKED = re.compile(r"\bbut (?:i|we) said no\b|\bdo something about\b"  # "the kids want it on but i said no"; vague
                       r"|\b(?:no need to|not necessary to|keeps? (?:asking|telling|begging|nagging|bugging) (?:me |us )?(?:to|for)"
                       r"|asked me to|told me to)\b")
DONE = re.compile(
    r"^(?:i|we|somebody|someone|whoever|he|she|they|the kids|my \w+|a \w+(?: of \w+)?)(?:'s|'ve)?(?: just| already| has| have| had)?"
    r"(?: just| already| again)? "
    r"(?:turned|switched|left|broke|opened|closed|locked|unlocked|started|stopped|fixed|bought|installed|replaced|moved"
    r"|unplugged|plugged|set|put|reset|shut)\b"
    r"(?: (?:the |my |our )?(?:\w+ ){0,3}?(?:on|off|open|closed|locked|unlocked|running)\b)?"
    r"|\b(?:itself|themselves|by itself|on its own|keeps? (?:turning|switching|going|coming|flickering|stopping)|keeps \w+ing)\b"
    r"|\b(?:takes?|took|taking) (?:forever|ages|so long|too long|a while|a long time|hours|minutes)\b"
    r"|\b(?:was|were|been) left (?:on|off|open|unlocked|running)\b"
    r"|^(?:the|my|our) (?:\w+ ){1,3}(?:stopped|died|broke|failed|went off|came on|turned (?:on|off)|switched (?:on|off))\b"
    # "the lid blew half off in the wind last night", "washer 2 finished ages ago"
    r"|^(?:the|my|our) (?:\w+ ){1,3}(?:blew|fell|came|got) (?:\w+ )?(?:off|open|down|loose|undone)\b"
    r"|\b(?:finished|stopped|done|ended) (?:ages|a while|an hour|hours|minutes|a bit) ago\b"
    r"|\bneeds? (?:a |an |to be )?(?:new |replac\w*|clean\w*|repair\w*|fix\w*|bulb|batter\w*)"
    r"|^(?:the|my|our) (?:\w+ ){1,3}(?:is|are) (?:(?:brand )?new|old|broken|nice|great|lovely|beautiful|ugly|expensive|cheap|loud|noisy)\b"
    r"|^(?:turning|switching|opening|closing|locking|unlocking|starting|stopping)\b.*\b(?:myself|ourselves)\b"
    # an action as a subject ("turning on the tree is my favourite part of december")
    r"|^(?:turning|switching|opening|closing|locking|unlocking|starting|stopping)\b(?: \w+){0,5} (?:is|was|makes|made)\b")
# what is done as a habit ("before bed i always lock the front door"): the adverb stays before the verb, which
# `_asks_too` then reads as no request
HABIT = re.compile(r"\b(?:i|we|he|she|they|you) (?:always|usually|often|sometimes|normally|typically|never)\b")
ALWAYS_TOO = re.compile(r"\b(?:is|are|s|'s|'re) (?:always|forever|constantly) (?:too|so|a bit|way) \w+")  # "the hall light is always too dim"
NEED = re.compile(r"\b(?:dark|dim|gloomy|black|cold|chilly|freezing|hot|warm|stuffy|humid|dirty|filthy|messy|dusty"
                  # too much of what a device changes, not of what it is ("the curtains are too thin")
                  r"|too (?:much|many|bright|dark|dim|gloomy|hot|cold|warm|cool|chilly|freezing|stuffy|humid|dry|damp|muggy"
                  r"|high|low|strong|weak|windy|breezy|sunny|light|fast|slow)"  # not "too loud": a complaint
                  r"|needs? to be|should be|must be|has to be|have to be|ought to be"
                  r"|(?:needs?|wants?) (?:locking|unlocking|closing|opening|turning|switching|starting|stopping|dimming|brightening))\b")
HEARD = re.compile(r"^i can (?:hear|see|smell)\b")
# an opinion or a reminder to someone ("i think the garage is open", "remember to turn off the oven"): not for now
NOT_FOR_NOW = re.compile(r"^(?:i think|i guess|i believe|i bet|i suppose|i hope|hopefully|maybe|apparently|remember to"
                         r"|(?:i )?(?:could have|could've|coulda|would have|would've) sworn|i swear i (?!\w+ (?:it|them) (?:on|off)\b)"
                         r"|(?:i )?reckon (?:the|my|our) (?:\w+ ){0,2}\w+(?:'s| is| are) "  # "reckon the bar's a bit dark tonight eh"
                         # thanks, praise or a remark on what was done ("thanks for turning on the lamp", "nice work
                         # unlocking the door", "it's weird that the fan is off"), a plan ("next week we might ...")
                         r"|thanks?(?: you)? for|thank you for|nice work|good job|well done|great job"
                         # "nice save on the periscope hint, jess" started the periscope
                         r"|(?:nice|good|great|brilliant|top|cracking) (?:save|one|call|shout|catch|thinking|move|effort)\b"
                         # "suppose the family wanted the curtains left open, would that be alright"
                         r"|suppose |supposing |imagine |what if "
                         r"|it'?s (?:weird|strange|funny|odd|nice|good|great|annoying) (?:that|how)|funny how"
                         r"|next (?:week|month|year|time)|one day|someday|we might|we may"
                         r"|don't forget to|do not forget to"
                         # a step to be checked first: "could be time to run mixer 1, i'll ask the supervisor first"
                         r"|(?:it )?(?:could|might|may) be time to|.*\b(?:i|we)(?:'ll| will) (?:ask|check)\b"
                         # musing, wondering, wishing ("i could turn the fan on i suppose", "in theory you could unlock
                         # the door from here right", "wish i could turn off the compressor", "thinking about turning the
                         # coffee machine on", "can you believe the kitchen light was on all night"): nothing asked
                         r"|i (?:could|might|may) (?!use\b|do with\b)"
                         # an offer to a person ("shall i put the big light on for you nan"), a suggestion put to people
                         # ("we could lower zone a to 20 maybe, thoughts?")
                         # what the speaker will do ("i'll open the fv2 outlet by hand", "i'll put the kettle on in a
                         # minute"); telling someone off ("lena stop playing with the lights")
                         r"|(?:i'll|i will|ill|we'll|we will) (?!have\b|take\b|need\b|want\b)(?:\w+ )?(?:open|close|shut|put|turn|switch"
                         r"|start|stop|lock|unlock|run|reset|do|pop|stick|bung|flick)\b(?!.*\b(?:please|pls)\b)"
                         r"(?!.*\b(?:can|could|will|would) (?:you|u)\b)"
                         # "we really need to get the boiler serviced", "reckon we should get the aircon serviced"
                         r"|.*\bget (?:the |a |an |my |our )?(?:\w+ ){1,2}(?:serviced|fixed|repaired|looked at|checked|replaced|cleaned"
                         r"|sorted|seen to)\b"
                         r"|.*\bstop (?:playing|messing|fiddling|mucking|fooling) (?:about |around )?with\b"
                         # "whoever keeps cranking the thermostat, stop it", "i'm gonna turn the telly off in a sec", "brb
                         # putting the kettle on", a shift's note or a status ("night shift reset dp-302 twice", "p-102
                         # running at 80 percent, all good"), shopping ("we should get a second pool light")
                         r"|whoever\b|(?:i'm|im|i am) (?:gonna|going to) (?:turn|switch|put|open|close|start|stop|lock|unlock)\b"
                         r"|(?:brb|be right back)\b|(?:night|day|morning|late|back|early) shift\b"
                         r"|.*\b(?:all good|all fine|all ok|looks good|no issues)$|we should (?:get|buy|order)\b"
                         # a plan given up ("i was gonna open the awning but it's way too windy"), a suggestion among
                         # people ("we should probably switch the gluhwein off before ...", "reckon we should ..."), a
                         # child asking leave ("mum can i press the fish light")
                         r"|(?:i|we) (?:was|were) (?:gonna|going to|about to|planning to|meaning to)\b"
                         r"|(?:i|id|i'd) (?:wouldn'?t|would not|would never|not) (?!mind\b)"  # "i wouldnt open the washdown its frozen"
                         r"|(?:\w+ )?(?:i )?(?:reckons? |thinks? |says? )?we (?:should|ought to) (?:probably |really |maybe |definitely )?(?!you\b)\w+"
                         r"|(?:mum|mom|mummy|mommy|mam|dad|daddy|nan|nana|gran|granny|grandma|grandad|grandpa|papa|mama),? (?:can|could|may) i\b"
                         # the speaker's own plan ("i'm going downstairs to make a coffee"), nothing asked after it
                         r"|(?:i'm|im|i am|we're|we are) (?:going|heading|off) (?:\w+ )?to (?:make|get|have|grab|do|take|watch"
                         r"|read|cook|bake)\b(?!.*\b(?:turn|switch|start|open|close|put|set|lock|unlock)\b)"
                         r"|(?:shall|should) i\b|.*\b(?:do you want|would you like|want) me to\b|we (?:could|might) (?!you\b)"
                         r"|.*\b(?:thoughts|any thoughts|what do you (?:think|reckon))$"
                         r"|.*\b(?:in theory|theoretically|hypothetically|in principle)\b"
                         r"|.*\b(?:i )?wish (?:i|we|you) could\b|(?:i'm |i am |im |just |been )?(?:thinking|thought) (?:about|of)\b"
                         r"|.*\b(?:can you believe|believe it or not|asking for a friend|can you even|could you even)\b"
                         # a story of another time or place: "last night i forgot to lock the back door"
                         r"|last (?:night|week|time|year)|yesterday|earlier today|this morning|once|back when"
                         # a shift handover or a log entry: "handover: palletizer faulted twice on nights, reset both
                         # times"; what was done, said with no subject: "opened the main valve at 6 for the flush"
                         r"|handover|hand over|shift (?:notes?|report|log)|log entry|for the log"
                         # a habit to form, or shopping: "we should really get into the habit of locking the back
                         # door", "we need to buy a new bulb for the hall light"
                         r"|.*\b(?:habit of|more often)\b"
                         r"|.*\b(?:buy|order|purchase|pick up) (?:a |an |some |more )?(?:new |spare |replacement )?"
                         r"(?:bulbs?|batter\w*|filters?|parts?|fuses?|belts?)\b"
                         r"|(?:opened|closed|stopped|started|restarted|switched|turned|locked|unlocked|cleared|ran)"
                         r"(?= (?:the|it|them|both|all|conv|mixer|pump|line|valve|\w+_\d)\b)"
                         r"|in (?:the|a|that) (?:movie|film|book|show|story|game|video)"
                         # a procedure read aloud: "step four: close the steam valve before removing the cover"
                         r"|step (?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
                         # what a manual or a label says ("the manual says the tank should be emptied", "label on the
                         # valve: close before maintenance"): read out, not asked
                         r"|(?:the |a )?(?:manual|instructions?|label|sign|guide|leaflet|notice|datasheet)(?: on [\w ]+?)?"
                         r" (?:says|said|reads|states)|label on)\b")
# a request passed to someone ("can you ask dad to turn the fire off"); the parser checks the name is nobody's device
# ("tell dusty to stop" speaks to the robot)
# "can someone on comms unlock the main doors for the caterers": asked of the people on the radio, not of this gateway
# ("can someone pop the hydrocollator on" said to the room's panel is a request)
SOMEONE_ASKED = re.compile(r"^(?:\w+ )?(?:can|could|would|will) (?:someone|somebody|anyone|anybody) on (?:comms|the radio|radio"
                           r"|channel \d+|the walkie)\b")
_PERSON = (r"(?!me\b|us\b|you\b|it\b|them\b)((?:(?:the|my|our|a|an) (?:\w+ )?)?(?!to\b|tae\b)\w+"
           # "tell kev on the dry end to knock her off", "ask whoever's in room 2 to turn her music down"
           r"(?: (?:on|in|at) the \w+(?: end)?)?|whoever(?:'s| is)?(?: \w+){0,3}?)")
_ASKED_TO = (r"(?:turn|switch|put|pit|pop|flick|open|close|shut|start|stop|lock|unlock|set|dim|run|reset|restart|clear|check|fix"
             r"|empty|fill|fire up|send|crank|bump|kill|drop|keep|leave|bring|take|knock)\b")
# ("tell callum turn playstation off": "to" left out after "tell")
PASSED_ON = re.compile(rf"\b(?:(?:ask|remind|get) {_PERSON} (?:to|tae) |tell {_PERSON} (?:(?:to|tae) )?){_ASKED_TO}")
REQUEST_WORDS = (r"turn|switch|put|start|restart|open|close|shut|lock|unlock|set|make|power|run|stop|halt|kill|pause|reset|clear"
                 r"|raise|lift|lower|clean|vacuum|hoover|mop|sweep|brew|dim|brighten")
REQUEST_VERB = re.compile(rf"\b(?:{REQUEST_WORDS})\b")


# A sentence that opens with a subject and a finite verb, of any length or tense, after words that open talk
# ("by the way a forklift clipped the dock door", "the aircon in the control room is older than i am", "i'll sort
# the sprinklers out myself", "closing the main valve by hand takes five turns"): it tells, unless a request is
# said in it (`says_a_request`). Rules of a shape each (above) missed about a third of statements in shapes nobody
# wrote them for; this one asks what a request has instead of what a statement may look like.
OPENING_TALK = (r"(?:(?:note to self|thanks|thank you|omg|oh my god|honestly|btw|by the way|fyi|just so you know|anyway"
                r"|so yeah|lol|tbh|typical|ugh|ok so|okay so|well|so|oh|hmm+)\s+)*")
PAST_ED = r"(?!(?:red|bed|shed|need|feed|speed|seed|led|bred|bleed|greed|steed|tweed|weed)\b)[a-z]{2,}ed"  # not "the bed"
VERB_WORDS = (r"'s|s|is|are|was|were|'re|re|has|have|had|'ve|ve|'ll|ll|will|won't|wont|would|'d|d"
              r"|can't|cant|couldn't|didn't|doesn't|don't|dont|isn't|wasn't|aren't|weren't|hasn't|haven't|did|does|ate|became"
              r"|become|got|gets|went|came|took|made|ran|broke|fell|froze|left|kept|grew|wore|love|hate|like|use|think|know"
              r"|knows|thinks|loves|hates|uses|opens|closes|locks|unlocks|turns|switches|starts|stops|takes|makes|needs|wants"
              r"|seems|looks|sounds|feels|smells|goes|comes|keeps|runs|works|gives|costs|belongs|look|seem|sound|feel|smell|cost"
              r"|belong|take|likes|leaves|reads|shows|says|said|tells|told|asks|forgets|forgot|should|weighs|beeps|blinks|buzzes"
              r"|drips|flashes|flickers|hums|leaks|rattles|smokes|sparks|squeaks|whistles")
VERB_FORMS = r"(?:" + VERB_WORDS + r"|" + PAST_ED + r")"  # and a past: "clipped"
FINITE = r"(?:(?:'s|'re|'ll|'ve|'d|'m)\b| " + VERB_FORMS + r"\b)"
# a word after which the first word is a noun, its subject ("vacuum kept turning itself off"); not a past in -ed,
# which is an adjective as often ("turn heated towel rail on")
SUBJECT_VERB = re.compile(r"(?:" + VERB_WORDS + r")")
ADVERBS = (r"(?: (?:just|really|hardly|barely|never|always|still|already|actually|even|also|ever|only|probably|definitely"
           r"|totally|sometimes|usually|often|rarely|seldom))*")
STATEMENT = re.compile(
    r"^" + OPENING_TALK + r"(?!(?:can|could|would|will|may|please|shall)\b(?!'ve))"  # "could've sworn i ..." tells
    r"(?:(?:i|we|he|she|they|it|nobody|somebody|someone|whoever|everyone|everybody|no one)" + ADVERBS + r" [\w']+"  # "we open"
    r"|(?:(?:the|a|an|my|our|his|her|their|your|this|that|these|those|last|every|mum|mom|dad|[a-z]+ing)(?: [\w']+){0,7}?"
    r"|[\w']+(?: [\w']+){0,6}?)" + ADVERBS + FINITE + ")")
# what a request has: a verb that asks (not after a subject or "the": "the kids left the light on"), a want or a need
# ("i'd love some light", "we need the heating on", "it's too dark"), a modal ask, or no verb at all ("kitchen lights
# off", "bedroom to 20")
ASKING_VERB = re.compile(
    rf"(?:{REQUEST_WORDS}|resume|fire|crank|bump|knock|flip|cut|boost|increase|decrease|reduce|adjust|change|activate"
    r"|deactivate|enable|disable|engage|light|heat|warm|cool|dock|return|send|bring|give|get|keep|leave|let|go|shutdown"
    r"|shutoff|reboot|toggle|dial|drop|up|crack|draw|pull|roll|unroll|water|irrigate|cycle|prime|home|park|charge|suck|pop"
    r"|flick)")
WANTS = re.compile(r"\b(?:i|we)(?: really| just| do| not| don't| dont| also| will|'ll| would|'d)* (?:want|need|wanna|require|fancy)\b"
                   r"|^(?:want|need) "
                   r"|\b(?:i|we)(?: would|'d)(?: really| just| also)* (?:like|love|prefer)\b|\bi'?d (?:like|love)\b"
                   r"|\b(?:would|will|'d) be (?:nice|great|good|lovely|perfect|ideal|handy)\b|\bcan'?t see\b|\bcannot see\b"
                   r"|\b(?:can|could|may) (?:i|we) (?:have|get)\b|\blet'?s\b|\bhow about\b|\btime (?:to|for)\b"
                   r"|\b(?:i|we) could use\b|\bit'?s (?:\w+ )?time\b")
VERBLESS = re.compile(
    r"(?:(?:please|ok|okay|now|and)\s+)*(?!(?:i|we|he|she|they|it|you|there|this|that|who|whoever|nobody|somebody|someone)\b)"
    r"(?:(?!" + VERB_FORMS + r"\b)[\w']+ ){0,6}?"  # no verb before its end: "mike stopped mixer 1" tells
    r"(?:on|off|up|down|open|closed|shut|locked|unlocked|brighter|dimmer|warmer|cooler|lower|higher|max|full"
    r"|halfway|to \S+(?: \S+)*|\d+(?: \w+)*)(?: (?:please|now|thanks|thank you|for me|for us|again|too))*")
PAST = re.compile(r"\b(?:was|were|had been|last (?:night|week|winter|summer|year|time)|yesterday)\b")
BE_OR_HAVE = re.compile(r"\b(?:is|are|was|were|been|has|have|had|be|does|did|do|s|'s|ve|'ve|ll|'ll|d)\b")


# verbs that are nouns of devices too ("the living room light flickered", "the front door lock"): a verb only first,
# where a request puts it ("please light the fire", "can you heat the bedroom", "and lock it") or before a determiner
# ("it's damp down in the basement run the dehumidifier")
NOUN_TOO = frozenset("light heat water home power lock charge park drop cut cycle return up cool warm crack roll "
                     "draw dial prime set run dock".split())
ASKS_BEFORE = frozenset("please pls kindly and then you u to can could would will just now also so".split())


# what opens a request asked with a question mark ("could you close the blinds?", "turn off the lights?", "mind
# dimming the lamp?"); without one, "back door locked?" and "kettle?" ask how things are
ASKS_FOR_IT = re.compile(
    r"^(?:(?:please|pls|plz|kindly|ok|okay|hey|so|and|now)\s+)*(?:"
    rf"(?:{ASKING_VERB.pattern})\b"
    r"|(?:can|could|would|will|won't|wont|can't|cant)(?: (?:you|u|ya|we|i|someone|somebody))?\b"
    r"|mind\b|any chance\b|how about\b|what about\b|why don'?t (?:you|we)\b|care to\b|do me a favou?r\b)")


# a request anywhere ("hope your day's going well, can you unlock the front door?") or a change asked ("mirror light
# a bit brighter?", "heating to 21?")
ASKED_ANYWHERE = re.compile(r"\b(?:can|could|would|will|won't|wont) (?:you|u|ya)\b|\b(?:you|u) (?:can|could|would|will)\b"
                            r"|\bplease\b|\bto \d"
                            r"|\b(?:brighter|dimmer|darker|warmer|cooler|colder|hotter|higher|lower|faster|slower|up|down|more|less)\b")


# what a device can do, asked ("can the blinds go any higher?"): not asked for
CAN_IT = re.compile(r"\bany (?:higher|lower|brighter|dimmer|warmer|cooler|colder|hotter|further|more|less|faster|slower)\b")


def asked_by_its_mark(raw: str, text: str) -> bool:
    """`raw` ends in a question mark and `text` (normalised) asks for no change: it asks how things are."""
    return raw.rstrip().endswith("?") and (CAN_IT.search(text) is not None
                                           or not ASKS_FOR_IT.match(text) and not ASKED_ANYWHERE.search(text))


# "no lights off": "no" run into a request, with no pause written, is "don't" as well as "no, lights off"
# ("no lights" asks for none: off)
NO_RUN_ON = re.compile(r"^\W*no\s+(?!(?:more|need|one|body|way|longer|matter|problem|worries|thanks|doubt|rush|hurry|idea)\b)"
                       r"[a-z].*\b(?:on|off|open|close|shut|lock|unlock|start|stop|turn|switch|set|dim|up|down)\b", re.IGNORECASE)


def says_a_request(text: str) -> bool:
    """A request is said in `text` (normalised, interjections taken off): see ASKING_VERB."""
    words = text.split()
    subject_first = len(words) > 1 and SUBJECT_VERB.fullmatch(words[1])
    for i, w in enumerate(words):
        if i == 0 and subject_first:
            continue
        if i >= 2 and words[i - 1] in SPEECH and words[i - 2] not in ("i", "we"):
            return False  # what follows is somebody's words: "she sang close the curtains let the night come in"
        verb = ASKING_VERB.fullmatch(w) or (i == 0 and w.endswith("s") and ASKING_VERB.fullmatch(w[:-1]))  # "turns ... off"
        noun_too = w in NOUN_TOO and words[i - 1] not in ASKS_BEFORE and words[i + 1 : i + 2] not in (["the"], ["my"], ["our"])
        if verb and (i == 0 or words[i - 1] not in NOT_A_VERB_AFTER) and (i == 0 or not noun_too) \
                and not _reported(words, i):  # "i'm going to close it myself"
            return True
    need = NEED.search(text) and not PAST.search(text)  # "it was freezing last night": then, not now
    return bool(WANTS.search(text) or need or (VERBLESS.fullmatch(text) and not BE_OR_HAVE.search(text))
                or ALL_OFF_FIRST.match(text))  # "all off, we're heading out"


ALL_OFF_FIRST = re.compile(r"(?:everything|everythin|evrything|all) (?:off|out)\b")


# "good night, house", "morning all": a greeting, to the house or to the room, asks for nothing (read as warm dim lights)
GREETING_ONLY = re.compile(r"(?:(?:hey|hi|hello|ok|okay|and) )?(?:good ?night|night night|nighty night|good morning|morning"
                           r"|good evening|evening|good afternoon|hello|hi|hey|bye|goodbye)(?: (?:house|home|everyone|everybody|all"
                           r"|folks|guys|team|there|then))*(?: please)?")


# "tom's lamp off", "jay's big light on": an owner's 's before a kind of device is no "is" ("the lamp's on" tells)
# (with something said after it: "emma's lamp" alone asks nothing)
OWNERS = re.compile(r"\b([a-z]+)'s (?=(?:[a-z]+ ){0,2}(?:" + "|".join(sorted(ALL_GENERIC, key=len, reverse=True)) + r") \w)")


# someone's advice passed on ("my mum reckons i should turn the towel rail off to save money")
ADVISED = re.compile(r"\b(?:reckons?|thinks?|says?|said|suggests?|suggested|told me|tells me) (?:that )?(?:i|we|you) (?:should|ought to"
                     r"|need to|must|have to|gotta)\b")
# both ways said, undecided ("turn the lights off, or on, i dunno", "the mower off or on whatever")
EITHER_WAY = re.compile(r"\b(?P<a>on|off|open|closed?|up|down|start|stop)\b,? or (?:maybe |perhaps |even )?(?P<b>on|off|open|close"
                        r"|closed|up|down|start|stop)\b|\bi dunno\b|\bwhatever(?:'s| is)? (?:less|more|easier|best)\b")


def _undecided(text: str) -> bool:
    return any(m.group("a") is None or m.group("a").rstrip("d") != m.group("b").rstrip("d") for m in EITHER_WAY.finditer(text))


def not_a_request(actions: list[Action], said: Said) -> ResolveError | None:
    """The refusal for a sentence that tells or asks for something else, where its actions would act; else None."""
    text = OWNERS.sub(r"\1s ", INTERJECTION.sub("", said.text))
    if GREETING_ONLY.fullmatch(text.strip()):
        return ResolveError("not_understood", "that is a greeting, not a request: say what to do")
    if SOUND.search(text) and any(a.service in POWER for a in actions):
        return ResolveError("unsupported", "sound (mute, volume) is not something this gateway sets; nothing was switched")
    if all(a.service == QUERY for a in actions):
        if NOT_A_STATE.search(text) or HOW_TO.search(text):
            return ResolveError("not_understood", "that asks why, how, when, who or what if, which no device's state "
                                                  "now says: nothing read")
        return None  # reading state acts on nothing
    alarm_cleared = all(a.service == "machine.reset_fault" for a in actions)  # "reset the alarm on the compressor"
    for pattern, message in ((OTHER_REQUEST, "that asks for something other than a device's setting"),
                             (None if alarm_cleared else KEEPS_TIME,
                              "alarm clocks, timers and reminders are not devices this gateway sets"),
                             (CLOCK_SAID if said.when else None, "alarm clocks, timers and reminders are not devices this gateway sets"),
                             (HOW_TO, "that asks how it is done, not for it done"),
                             (ABOUT_IT, "that asks about it, not for it done"),
                             (QUOTED, "that quotes words said or written elsewhere"),
                             (STEERING, "that reads as instructions to an assistant, not a request"),
                             (NONSENSE, "no device here can do that"),
                             (SARCASM, "that sounds sarcastic")):
        if pattern and pattern.search(said.text if pattern is SARCASM else text):  # "yeah right, ..."
            return ResolveError("not_understood", f"{message}: nothing done")
    told = STATE_SAID.search(text) or FEELING.search(text) or DONE.search(text) or HEARD.search(text) or HABIT.search(text) \
        or ALWAYS_TOO.search(text)
    rest = ALWAYS_TOO.sub(" ", DONE.sub(" ", STATE_SAID.sub(" ", text)))
    if told and not _asks_too(rest) and not re.search(r"\b(?:please|can you|could you|would you|will you)\b", text):
        return ResolveError("not_understood", "that says how things are, not what to do: nothing done")
    if NOTE.search(said.text):
        return ResolveError("not_understood", "that is a note or a forwarded message, not a request: nothing done")
    if VACUUM_MODE.search(text) and all(a.service.startswith("vacuum.") for a in actions):
        return ResolveError("unsupported", "a robot's modes (mopping, eco, turbo ...) are not something this gateway sets")
    if BOTH_WAYS.search(text) or _opposites(actions):
        return ResolveError("not_understood", "that asks for both ways at once: nothing done; say which")
    if KEEP_IT.search(text) and not REQUEST_VERB.search(KEEP_IT.sub(" ", text)):
        return ResolveError("not_understood", "that keeps it as it is: nothing to do")
    if FRAGMENT.search(text):
        return ResolveError("not_understood", "that goes on from something said before, which this gateway does not "
                                              "keep: say the whole request")
    if LOCKED_OUT.search(text):
        return ResolveError("rejected", "that is under lockout / tagout: nothing done")
    if OVERRIDE.search(text):
        return ResolveError("unsafe", "overriding or bypassing a safety is not done from here: nothing done")
    if ADVISED.search(text):
        return ResolveError("not_understood", "that passes on someone's advice, not a request: say what to do")
    if _undecided(text):
        return ResolveError("not_understood", "that leaves it undecided: nothing done; say which")
    if NOT_FOR_NOW.search(text) or NOT_ASKED.search(text):
        return ResolveError("not_understood", "that is an opinion or a reminder, not a request: say what to do now")
    report = FAULT_REPORT.search(text)
    if report and not REQUEST_VERB.search(FAULT_REPORT.sub(" ", text)):
        return ResolveError("not_understood", f"{report.group(0)!r} sounds like a fault report, not a request: say what to do "
                                              "(fault reports go to diagnostics)")
    if STATEMENT.search(text) and not says_a_request(text):
        return ResolveError("not_understood", "that tells rather than asks (no request in it): nothing done; say what to do")
    return None
