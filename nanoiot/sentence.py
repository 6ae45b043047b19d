"""What a normalised sentence says before any model reads it: scope, exceptions, negation, fixed phrases.

These are rules on the words themselves, so that no model output can bypass them: a
negated command is never carried out whatever the model wrote ("don't turn on the
kitchen light" is not "turn on the kitchen light"), an exception is taken out and
applied to the resolved devices, and words that only say how far an action reaches
("everywhere", "in the whole house") are taken out for the model and kept as scope.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nanoiot.schema import When
from nanoiot.when import take, take_duration

# "don't", "do not", "never": a command said with one of these is never carried out. "can't"
# is left out: "i can't see" asks for light.
NEGATION = re.compile(r"\b(?:don't|dont|doesn't|didn't|shouldn't|mustn't|never|not)\b"
                      # German and Spanish said between English words ("mach den fernseher nicht an", "no prendas el
                      # ventilador"): negated all the same
                      r"|\b(?:nicht|nie|niemals|nunca|nahi|nahin)\b|\bno (?:prend|enciend|apagu|abr|cierr|pong|quit|toqu|mu[eé]v)\w*\b"
                      # "the last thing i need is the space heater on", "no way am i opening the garage door"
                      r"|\bthe last thing (?:i|we) (?:need|want)\b|\bno way (?:am|are|is|will|would) \w+\b"
                      r"|\b(?:nobody|no one|no-one)(?:'s| is) to\b")  # "i've got my padlock on the stacker, nobody's to start it"
# "please to no stop the compressor", "please no turning off the heating": "no" before the verb, as other languages
# say "don't" (read as a correction, "no, stop", it stopped the compressor)
NO_VERB = re.compile(r"\b(?:to|please|you) no (?:turn|switch|open|close|shut|stop|start|lock|unlock|run|put|set)\b"
                     r"|\bno (?:turning|switching|opening|closing|shutting|stopping|starting|locking|unlocking|running|putting)\b")
# "i don't need the light", "we do not want the heating any more": no command negated but a wish for it off, done
# only where the model read an off (gates.refuse_to_act); never with "off" said ("i don't want the lights off"), nor
# of a thing to do ("i don't need you to turn on the light" asks for nothing)
UNNEEDED = re.compile(r"\b(?:i|we) (?:don't|dont|do not) (?:need|want)\b(?! (?:you |u |anyone |anybody )?to\b)")
# "if you don't mind" asks politely; it negates nothing
POLITE = re.compile(r"\bif you (?:don't|dont|do not) mind\b")
# "... except the porch light": the devices after it are left out, or nothing is done
EXCEPTION = re.compile(r"\b(?:except(?: for)?|but not|apart from|other than|excluding|save for|but leave|but keep"
                       r"|but(?= (?:here|in here|(?:in )?this room|(?:in )?(?:the|this) (?:room|area) i'?m in)$)"
                       r"|but(?= (?:(?:number|no|num) )?\d{1,2}$))\b")  # "stop every pump but number 3" stopped pump 3 too
# "cut shore power to every truck but the coffee truck" cut the coffee truck's alone: "but" after every/all/each
EVERY_BUT = re.compile(r"\b(?:every|all|each)\b(?:(?!\bbut\b).){0,60}?\b(?P<marker>but)\b(?= (?:the|my|our|for the|for) \w)")
BUT = re.compile(r"\bbut\b")
# "kitchen lights off but bench stay on" switched the bench lights on: what stays as it is, said after "but"
STAYS = re.compile(r"\b(?:and |but )(?P<what>(?:(?:the|my|our) )?(?:\w+ ){0,3}?\w+) (?:stays?|remains?|can stay|should stay|must stay) "
                   r"(?:on|off|open|closed|shut|running|lit)\b")
# "leave the porch light on and turn off the rest of the lights", "turn off the rest of the lights, keep the desk lamp
# on": what is kept as it is, beside a request for the others
KEEP_AS_IS = re.compile(r"\b(?:and |but )?(?:just )?(?:keep|leave) (?P<what>(?:the|my|our) (?:\w+ ){0,3}?\w+) "
                        r"(?:on|off|open|closed|shut|running|going|lit|as (?:it is|they are|is))\b(?: and\b)?")
THE_REST = re.compile(r"\b(?:the rest(?: of (?:the|my|our))?|the others?|all the others?|the other \w+|everything else)\b")
# "turn on the porch light but don't unlock the front door", "turn off the lights but don't turn off the porch light":
# the second half names what to leave alone, as "except" does, without meaning "all the others"; its verb goes with
# it, so the negation is no longer the first half's
BUT_DONT = re.compile(r",? but (?:please )?(?:don't|dont|do not|never) (?:\w+ ){1,2}?(?=(?:the|my|our) )")
# "stop the vacuum? no, let it finish", "turn on the desk lamp. actually, cancel that": the request is taken back
TAKEN_BACK = re.compile(
    r"\b(?:and )?(?:lol |nah |no )?(?:just kidding|kidding|jk|j k|(?:only|just) joking|hold that thought|wait a (?:sec|second|minute"
    r"|moment)|no wait|hang on"
    r"|hold on|hang on scratch that|hold on scratch that|wait scratch that|(?:no|nah) leave)$"
    r"|\b(?:and )?(?:(?:no|nah|actually|wait|oh|oops|sorry|hmm|on second thought|just kidding|kidding|jk|espera|warte|nein)(?: and)? )+"
    r"(?:please )?(?:just )?(?:cancel (?:that|it|this)"
    r"|undo (?:that|it)|never ?mind(?: that)?|nvm|nada|olvidalo|vergiss es|forget (?:it|that|about it|i said (?:that|anything))|scratch that|don't|dont|do not"
    r"|let (?:it|them) (?:finish|run|be|keep going|carry on)|leave (?:it|them)(?: (?:be|alone|on|off|running|as (?:it is|they are|is)))?)"
    # "open the gate, actually no, leave it, cows are out": a reason after, with no request in it
    r"(?: (?!.*\b(?:turn|switch|open|close|shut|start|stop|lock|unlock|set|dim|brighten|put|make|run)\b)[a-z'].*)?$"
    # "start the hoover, oh wait the bassist is asleep on the floor, leave it": a reason first, then taken back
    # "turn off the lights in maya's room. nah actually she'll kill me": "no, actually" and no request after it
    r"|\b(?:nah|no|nope) actually\b(?!.*\b(?:turn|switch|open|close|shut|start|stop|lock|unlock|set|dim|brighten|put|make|run)\b)"
    # "put the kettle on.. nah wait ill grab a coffee out", "compressor off, oh wait, kerry's still drilling"
    r"|\b(?:oh|nah|no|ah) (?:wait|hold on|hang on)\b(?! (?:the|my|our|that|this|i mean|i meant)\b| \d)(?!.*\b(?:turn|switch|open|close|shut|start|stop|lock|unlock|set|dim|brighten|put|make|run)\b)"
    # "turn off the extractor. joking, keep her going": a joke owned up to, and no request after it
    r"|\b(?:only |just )?(?:joking|kidding)\b(?!.*\b(?:turn|switch|open|close|shut|start|stop|lock|unlock|set|dim|brighten|put|make|run)\b)"
    r"|\b(?:oh wait|wait|actually|hold on|hang on|oh no|oops|nah|no)(?: (?!(?:turn|switch|open|close|shut|start|stop|lock|unlock|set"
    r"|dim|brighten|put|make|run)\b)[a-z0-9']+){1,12}? (?:so )?(?:just )?(?:leave (?:it|them|him|her)(?: (?:be|alone|off|on))?|forget (?:it|that)"
    r"|never ?mind|cancel (?:that|it)|don't bother|dont bother)$")
# "trun on the fan" was read as off, "tunr of the kitchen light" as on: the slips of the two switching verbs that
# people type, as the verb (letters swapped, one left out or doubled); never a word of its own
VERB_SLIPS = {**dict.fromkeys(("trun", "tunr", "tirn", "tyrn", "turm", "tuen", "yurn", "rurn", "tutn", "tuurn", "trurn",
                               "truen", "tunn", "trn", "trunr"), "turn"),
              **dict.fromkeys(("swich", "swtich", "swith", "swicth", "switvh", "swutch", "switxh", "swithc", "sitch",
                               "swtch", "swiitch", "switcch"), "switch")}
# how a phone texts the words times and references hang on ("open the curtains at 7 tmrw" set them to 7 percent,
# "lights off w/ the fan too" did the fan alone); `normalize` already reads "pls", "thx"
TEXTED_WORDS = {**dict.fromkeys(("tmrw", "tmr", "tmrow", "tmoro", "2moro", "2morrow", "2mrw", "tomoz"), "tomorrow"),
                "tonite": "tonight", "2nite": "tonight", "rn": "right now", "w": "with", "u": "you", "ur": "your", "n": "and"}
TEXTED = re.compile(r"\b(?:tmrw|tmr|tmrow|tmoro|2moro|2morrow|2mrw|tomoz|tonite|2nite|rn|u|ur)\b|\bw(?= (?:the|my|our|it|them)\b)"
                    # "open the co2 solenoid n bump the hafs to 50", "shutter down n lock the front"
                    r"|(?<=\w )n(?= (?:the|turn|switch|open|close|shut|lock|unlock|start|stop|set|put|bump|make|dim|crank|kill)\b)")
# "start the transfer pump, day tank's down to 30%": a reading told, no value asked for
READING_TOLD = re.compile(r"(?:'s|\bis|\bare|\bwas|\bwere) (?:now |only |just |already |still |currently )?(?:down |up |sitting |back )?"
                          r"(?:to |at |on )?\d+(?:\.\d+)?")
# "dim the lights to like 20" was a step of 20: a value hedged is the value
HEDGED_VALUE = re.compile(r"\b(to|at) (?:like|about|around|roughly|approximately|maybe|say|something like) (?=\d)")
# "lock up" locked the speaker's door alone: every door of the house is meant
LOCK_UP = re.compile(r"\block (?:it all |everything )?up(?= and\b| please\b| now\b| for\b| tonight\b|$)")
# "send roxy out", "send the mower out to cut the grass" were read as a stop: sent out is started
SEND_OUT = re.compile(r"\bsend (?P<what>(?:the |my |our )?[\w']+(?: [\w']+){0,2}?) (?:out|(?P<round>round|around))\b")
# "nh3 alarm just went off in the plant room get the extractor running" was the extractor off
# "set robbie off", "set dusty off": a robot set off is started (not lights, heating, an alarm or a timer)
SET_OFF = re.compile(r"\bset (?P<what>(?:the |my |our )?(?!(?:the|my|our|it|them|alarm|timer|lights?|lamps?|heating|heater)\b)[\w']+)"
                     r" off\b(?! (?:the|my|our)\b)")
# "moon lamp more dark a little", "make it more bright": said the way the model knows (it read "more" as brighter)
MORE_OR_LESS_SAID = {"more dark": "darker", "more dim": "dimmer", "more bright": "brighter", "less bright": "dimmer",
                     "less dark": "brighter", "lid on": "lid closed", "lid off": "lid open"}  # "jets off and lid on": closed
MORE_OR_LESS = re.compile(r"\b(?:" + "|".join(MORE_OR_LESS_SAID) + r")\b")
# "fire up everything in here": everything on (which is asked, never done)
FIRE_UP_ALL = re.compile(r"\b(?:fire|power|start|boot) up (everything|it all|the lot)\b")
# "dobbin off you go, do the kitchen": sent on its way, no "off"
OFF_YOU_GO = re.compile(r"\b(?:off|away) (?:you|ye|u) go\b")
GET_GOING = re.compile(r"\bget (?P<what>(?:the |my |our )[\w']+(?: [\w']+){0,2}?) (?:running|going|started)\b")
VERB_SLIP = re.compile(r"\b(?:" + "|".join(VERB_SLIPS) + r")\b")
UNDONE_LATER = re.compile(r"^(.*\b(?:on|open|start|unlock)\b.*?)(?: now)?,? and (?:then )?(?:(?:turn|switch|shut|close|stop|lock) "
                          r"(?:it|them)(?: back)?(?: off)?(?: again)?|send (?:it|them) (?:back )?(?:home|to (?:its |the )?(?:base|dock|charger))"
                          r"|dock (?:it|them)) in ((?:\d+|a|an|half an)(?: and a half)? (?:minutes?|mins?|hours?|seconds?))$")
# "start the roomba and send it home in an hour", "switch on the porch light and turn it off at 11": a time said in a
# later request of several, not at the start; kept for the whole message it moved the first request to that time
# (and the second was lost), so it is refused unless it is the undoing UNDONE_LATER reads
NEXT_REQUEST = re.compile(r",? and (?:then )?(?=(?:turn|switch|open|close|shut|start|stop|lock|unlock|set|dim|brighten|send|run"
                          r"|put|make|raise|lower|kill|bring|dock|return)\b)")
WAY_AGAIN = r"(?:on|off|open|close|shut|lock|unlock|start|stop|turn it (?:on|off)|turn them (?:on|off))"
# "turn on the porch light, no wait, the fairy lights", "open the garage door, sorry, i meant the loading door": what
# comes after the correction replaces what came before it
CORRECTION = re.compile(r"\b(?:no (?:wait|sorry|actually|no)|wait no|actually no|sorry i meant?|(?:no )?i meant?(?= (?:the|my|our) )"
                        r"|scratch that|on second thought|wait,? just(?= (?:the|my|our) ))\b(?: and)?"
                        # a way said again the other way: "close the garage i mean open it", "stop conveyor a sorry start it",
                        # "unlock sorry lock the front door", "switch off the tv backlight no on"
                        r"|\b(?:i mean|i meant|sorry|no|make that|rather)\b(?= (?:(?:turn|switch) )?(?:it |them )?" + WAY_AGAIN + r"\b)")
# a correction's "leave it on and ..." speaks of what it takes back
LEFT_AS_IT_IS = re.compile(r"^(?:(?:please|just|actually) )*(?:leave|let) (?:it|them) (?:\w+ ){0,2}?(?:be|alone|on|off|running|open|closed"
                           r"|as (?:it is|they are|is))\b(?: and)?")
# "leave the porch light alone", "no thanks, leave the radiator be": the device is not to be touched; after another
# request it is left out of it, as "but don't" leaves it ("turn off the lights and leave the porch light alone")
LEAVE_ALONE = re.compile(r"\b(?:and |but )?(?:just )?(?:leave|let) (?P<what>(?:(?:the|my|our) )?(?:[\w']+ ){0,3}?[\w']+) "
                         r"(?:alone|be|as (?:it is|they are|is)|where (?:it is|they are|it's|they're)|well alone|in peace|running|going)\b")
# "actually no, leave the blinds": left as they are, with nothing said after them
LEAVE_AS_IS = re.compile(r"\b(?:and |but )?(?:just )?leave (?P<what>(?:the|my|our) (?:[\w']+ ){0,2}[\w']+)"
                         r"(?<! on)(?<! off)(?<! open)(?<! closed)(?<! shut)(?<! locked)(?<! unlocked)(?<! running)$")
# what a request opens with, beside what it keeps as it is: a way or a setting for a thing
REQUEST_START = re.compile(r"(?:(?:please|and|then|also) )*(?:(?:turn|switch|open|close|shut|start|stop|lock|unlock|set|dim|put)\b"
                           r"|(?:the |my |our )?(?:[\w']+ ){1,3}(?:on|off|open|closed|up|down|to \d+)\b)")
# "actually leave the blinds, nana likes the sun": what is said first is to leave a thing as it is, nothing switched
LEAVE_FIRST = re.compile(r"(?:(?:actually|no|nah|oh|ok|okay|hmm|wait|just|please) )*(?:leave|let) (?:the|my|our|that|those|it|them)\b"
                         r"(?!.*\b(?:on|off|open|closed|shut|up|down|running|locked|unlocked|and (?:turn|switch|open|close|start|stop))\b)")
SPARED_TAIL = re.compile(r"(?: (?:yet|now|please|though|today|tonight|too|either|again|for now))+$")
# words that only say "the whole site"; taken out for the model, kept as scope
# (Home Assistant's <everywhere> says the same: "all over", "throughout my entire flat", "on every floor")
ALL_WORDS = r"(?:all(?: of)?(?: the| my| our)?|every(?: single)?|each(?: and every)?)"
EVERYWHERE = re.compile(
    r"\b(?:everywhere|all over(?: the place)?"
    r"|(?:in|on|at|of|throughout|around|across) (?:the|my|our) (?:whole |entire )?(?:house|home|flat|apartment|site)"
    r"|in (?:the )?(?:whole|entire) (?:house|home|flat|apartment|site|place)"
    r"|(?:in |on |at |of |throughout |around |across )?" + ALL_WORDS + r" (?:rooms?|areas?|floors?))\b"
)
# "it's blowing the paperwork everywhere", "there's water all over": where a thing is, not where to act
STATED_EVERYWHERE = re.compile(r"\b(?:it'?s|it is|there'?s|there is|they'?re|they are|is|are|was|were|goes|going|gets|getting"
                               r"|got)\b(?: [\w']+){0,4} (?:everywhere|all over(?: the place)?)\b")
EVERY_PLACE_KIND = frozenset({"room", "rooms", "area", "areas", "floor", "floors"})
# "all the lights", "every lamp", "each and every fan": the person said how many
EVERY = re.compile(r"\b" + ALL_WORDS + r" (?P<kind>\w+)")
# "in this room", "in my area", "our space": where the speaker is (Home Assistant's <here>), said to the model as "in here"
HERE = re.compile(r"\b(?:in |on |at )?(?:this|the|my|our) (?:room|area|space)\b(?! heaters?\b)")  # "my space heater" is no place
# "each and every lamp", "every single light": every, as the model knows it
EMPHATIC_EVERY = re.compile(r"\b(?:each and every|every single)\b")
# "a couple of degrees warmer", "up by 2 degrees": a change from a setpoint the parser does not know
RELATIVE_DEGREES = re.compile(
    r"\b(?:\d+(?:\.\d+)?|a|a couple(?: of)?|couple(?: of)?|a few|few|some|several) (?:more )?degrees? "
    r"(?:warmer|cooler|colder|hotter|higher|lower|up|down|more|less)\b"
    r"|\b(?:up|down|raise\w*|lower\w*|increase\w*|decrease\w*|by) (?:by )?(?:\d+(?:\.\d+)?|a|a couple(?: of)?|a few) degrees?\b"
)
# "good night, lights off": a greeting before the command, not part of it (the model read "night lights")
# ("good night" only before an off: "good night lights" is winding down, and gates.WINDING_DOWN needs to hear it)
GREETING = re.compile(r"^(?:(?:hey|hi|hello|ok|okay) )?(?:good (?:morning|evening|afternoon)|good ?night(?=.*\b(?:off|out)\b))(?= \w)")
# "turn up the heat", "turn the heating down", "make it warmer", "it's too hot in here": a step of the setpoint (one degree,
# nanoiot.setpoints), as "brighter" is a step of brightness; with no light said for "warmer" (a warmer white)
HEAT_WORDS = r"(?:heat|heating|heater|temperature|temp|thermostat)"
STEP_VERBS = r"(?:turn|crank|bump|knock|put|push|nudge)"
HEAT_STEP = re.compile(rf"\b{STEP_VERBS} (?:up|down) (?:the |my )?{HEAT_WORDS}\b|\b{STEP_VERBS} (?:the |my )?{HEAT_WORDS} (?:up|down)\b"
                       r"|\bmake (?:it|the \w+(?: room)?) (?:a bit |a little |slightly )?(?:warmer|cooler|colder|hotter)\b"
                       r"|(?P<complaint>\btoo (?:warm|hot|cold|chilly)\b|\b(?:freezing|roasting|sweltering) (?:in|here)\b)")
# "it's too hot in here, turn on the fan": the complaint says why, the request says what (the fan, not the setpoint)
ASKS_OTHERWISE = re.compile(r"\b(?:turn|switch|open|close|shut|put|start|stop|set|run|lock|unlock|dim|brighten|draw|raise|lower)\b")
LIGHT_SAID = re.compile(r"\b(?:lights?|lamps?|bulbs?|lighting|white)\b")
# "every morning", "for a while", "in a few minutes", "if it gets dark": a time or a condition to do it (or undo
# it) that the gateway cannot keep (it keeps a delay, a time of day and a duration, nanoiot.when, but no repeats,
# vague times or automations); done now, it would be done at the wrong time. "now", "tonight" and "for the night"
# say nothing a person would expect to wait for.
_WHEN = r"(?:\d+(?: \d+)?|half past \d+|quarter (?:past|to) \d+)"
LATER = re.compile(
    r"\b(?:at|by|for|until|till) " + _WHEN + r" ?(?:am|pm|a m|p m|o'?clock)\b"
    r"|\b(?:at|by|until|till) (?:noon|midnight|sunset|sunrise|dawn|dusk|bedtime)\b"
    r"|\b(?:in|for|after) (?:\d+|a|an|one|a few|a couple of|half an|another) (?:more )?(?:seconds?|secs?|minutes?|mins?|hours?|hrs?)\b"
    r"|\bfor (?:a (?:little )?(?:while|bit|moment)|some time|a short time)\b"
    # no time at all: "close the steam valve later", "at some point start the robot vacuum", "eventually"
    r"|\b(?:later(?: on| today| tonight)?|some ?time|at some point|eventually|one of these days|another time|in a (?:bit|while)"
    r"|dreckly|(?:the )?next time"  # Cornish "dreckly": some time; "the next time someone comes back muddy"
    r"|(?:i|we)(?:'ll| will) want\b"  # "tonight i'll want the heating at 19": a wish for later
    r"|after a while)\b"
    r"|\b(?:in|after) \d+(?= and\b|$)"  # "turn off the lights in 5": minutes? hours? not said
    r"|\bevery (?:\d+|other|few|couple of) (?:days?|hours?|weeks?|minutes?|mins?)\b"  # "every 2 days"
    r"|\b(?:nightly|hourly|(?:once|twice|three times) (?:a|per|an) (?:day|night|week|hour))\b"  # "twice a day run the pump"
    # "soon", "this afternoon", "around lunchtime", "before the end of the shift", "after i leave"
    r"|\b(?:soon|shortly|this (?:evening|afternoon)|(?:in|after) a little while|(?:around|at|by|after|before) (?:lunch|lunchtime"
    r"|dinner|dinnertime|teatime|breakfast|surgery|service|close|closing|opening|church|mass|school|work|class|practice|the (?:\w+ )?(?:show"
    r"|meeting|match|game|gig|session|shift|service|rush))|before the end of (?:the |my |this )?(?:shift|day|week))\b"
    # "after surgery switch the scav off": an event said first, whatever it is, is no time the gateway keeps
    r"|^(?:after|before|during) (?!(?:i|we) forget\b|\d|an? |half |that\b|this\b)(?:the |my |our )?[a-z]+\b"
    # or last: "turn off the lights in the dog ward after the last walk" ("before the walkthrough" may be now)
    r"|\b(?:after|during) (?:the|my|our|his|her|their|this|the next) (?:[a-z']+ ){0,3}[a-z']+(?: please| thanks| thank you)?$"
    # "kettle on after break", "lights off after isha": one word for an event, said last
    r"|\b(?:after|during) (?!(?:it|that|this|them|you|me|us|him|her|all|now|then|lunch|i|we|you)\b)[a-z]+(?: [a-z]+)?"
    r"(?: please| thanks| pls| thank you)?$"
    # "lock the key cabinet at the end of every shift", "switch the stars on every story time"
    r"|\b(?:every|each) (?:\w+ )?(?:shift|session|time|service|class|show|match|meeting|round|break|visit)\b"
    # "close the pool cover at the end of the day", "lights on once the guests arrive" ("before" an event is now)
    r"|\bat the end of (?:the |my |this |today's |every |each )?(?:last |next |first )?(?:day|shift|night|week|session|class"
    r"|service|show|evening|hymn|song|film|movie|game|match|meeting|lesson|set|track)\b"
    r"|\b(?:after|once) (?:the|my|our|your) (?:\w+ ){0,2}?(?:come|comes|arrive|arrives|get here|gets here|turn up|turns up"
    r"|leave|leaves|wake up|wakes up|go home|goes home|finish|finishes)\b"
    r"|\b(?:after|when|once|before|as soon as) (?:i|we) (?:leave|go out|head out|wake up|get up|go to bed|go to sleep)\b"
    r"|\b(?:after|when|once) (?:i've|we've|i have|we have|i'm|we're|i am|we are) (?:gone|left|out|away)\b"
    r"|\bat \d{1,2} \d{2}\b"  # a clock time `when` could not read ("at 32:00"): not now
    r"|\b(?:tomorrow|daily|weekly|(?:every|each) (?:day|morning|evening|night|week ?day|weekday|hour|monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b"
    # "towel rail on weekday mornings": a time that comes round again
    r"|\b(?:week ?days|weekends|week ?nights)\b|\bweek ?day (?:mornings|evenings|nights|afternoons)\b"
    r"|\b(?:on|in the|at) (?:mornings|evenings|nights|afternoons)\b|\bin the (?:morning|evening|afternoon)\b"
    # "open xiaoyu's electric blanket before she come home"
    r"|\b(?:before|after|when|once) (?:she|he|they|we|you) (?:come|comes|get|gets|is|are|'s|'re) (?:home|back|in)\b"
    r"|\b(?:mornings|evenings|afternoons)(?: please| pls)?$"
    # a day the gateway's clock does not keep: "start conveyor b at 7 am monday", "before leaving friday"
    r"|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|(?:this|next) (?:week|weekend)|at the weekend)\b"
    r"|\b(?:when|once|as soon as|before|after) i (?:get|come|am|m) (?:home|back|in|up)\b"
    # on a condition: "if it gets dark turn on the porch light", "when the sun sets ...", "remind me to ..."
    # ("if you could ..." is only polite)
    r"|^should (?:the|it|there|any|anyone|someone|somebody)\b|\bin case\b"  # "should the pressure drop, ...", "in case of fire"
    r"|\b(?:if|unless|whenever)\b(?! you (?:could|would|can|can't|cant|don't|dont|do not|please|mind|wouldn't|wouldnt)\b)(?: \S+){0,3}"
    r"|\bwhen\b(?: \S+){0,3}|\bremind me\b"
    # after an event: "after the vacuum finishes, lock the back door", "once the kettle boils", "before the shift ends"
    r"|\bat the (?:chorus|interval|break|bridge|drop|finale|whistle|bell)\b|\bat (?:last orders|closing time|kicking out time)\b"
    r"|\b(?:after|once|as soon as|before|until|till)(?: \S+){1,4}? (?:finish(?:es|ed)?|(?:is|are|has|have) (?:done|finished"
    r"|stopped|ready|over|gone)|stops|starts|ends|boils|arrives|leaves|gets (?:back|home|here|in)|drops|rises|falls|fills"
    r"|empties|reaches|hits|cools|warms)\b"
    r"|\bonce (?:the|it|its|it's|they|that|this|there)\b"  # "open the steam valve once the pressure drops"
    r"|\bonce (?:she|he|they|we|you|everyone|everybody)(?:'s|'re| is| are| has| have)?\b"  # "... once she's asleep"
    # "hoover the corridor after everyone's gone home", "start the dish machine once jabbar loads the rack"
    r"|\b(?:after|when) (?:everyone|everybody|they|people|the kids|staff)(?:'s|'ve|'re| has| have| is| are)? (?:gone|left"
    r"|finished|out|home|asleep)\b|\bonce [a-z]+(?:'s)? (?:\w+ )?(?:loads|unloads|fills|empties|finishes|finished|done"
    r"|clears|sorts)\b"
    r"|\b(?:every|each) time\b|\b(?:till|until) (?:it|they|the)\b"  # "switch it off every time the tank fills up"
)
# fixed phrases for an amount, said as the number the model knows (runtime only: training text is untouched);
# the word after it ("brightness") stays, it says what the amount is of
_WHAT = r"(?P<what> brightness| setting| level| speed| power)?\b"
AMOUNTS: tuple[tuple[re.Pattern[str], str], ...] = (
    # ("dim them to half" was a step of 50)
    (re.compile(r"\b(?:(?:to |at )?half ?way(?: up| down)?(?! (?:in|into|through|out|across|there|done|over|under|along)\b)|(?:to |at )?half(?= brightness| speed| power)|(?:to|at) half(?= please"
                r"| now| and|$))" + _WHAT), "50"),
    # "set the blinds three quarters closed" was 75 percent open: closed, a cover is open by the rest
    (re.compile(r"\b(?:to |at )?(?:3|three) quarters?(?: of the way)? (?:closed|shut|down)\b(?P<what>)"), "25"),
    (re.compile(r"\b(?:to |at )?(?:a|one|1) quarter(?: of the way)? (?:closed|shut|down)\b(?P<what>)"), "75"),
    (re.compile(r"\b(?:to |at )?(?:3|three) quarters?(?: of the way)?(?: open| up)?" + _WHAT), "75"),
    (re.compile(r"\b(?:to |at )?(?:a|one|1) quarter(?: of the way)?(?: open| up)?" + _WHAT), "25"),
    # "dim the bedside lamp to a third" was 3 percent, "two thirds bright" 2
    (re.compile(r"\b(?:to |at )?(?:2|two) thirds(?: of the way)?(?: open| up)?" + _WHAT), "67"),
    (re.compile(r"\b(?:to |at )?(?:a|one|1) third(?: of the way)?(?: open| up)?" + _WHAT), "33"),
    (re.compile(r"\b(?:(?:to |at )?(?:the )?(?:minimum|lowest)|(?:to|at) min)" + _WHAT), "1"),
    # "stairs light on full im going up" was a step of 100
    (re.compile(r"\b(?:(?:to |at )?(?:the )?(?:maximum|highest)|(?:to|at) max|(?:to |at )?full(?= brightness| speed| power)"
                r"|(?<=\bon )full(?! of\b| blast\b| bright\w*| power\b| speed\b))" + _WHAT), "100"),
    # "lights up full", "pump 1 on full", "the fan full blast": the top of the range, not a step up
    (re.compile(r"(?:(?<=\bup )|(?<=\bon ))full(?: blast| whack| tilt)?(?= please| in\b| on the\b| now|$| (?:i'm|im|i am|we're|as|cos|because|so|and|thanks|cheers|over)\b| [a-z]+'s\b)|\bfull (?:blast|whack|tilt)\b"
                + _WHAT),
     "100"),
    # "the lamp all the way up / down": the end of its range (for a cover, open / closed)
    (re.compile(r"\ball the way up\b" + _WHAT), "100"),
    (re.compile(r"\ball the way down\b" + _WHAT), "0"),
)
# "68 fahrenheit", "68 degrees f": the degrees Celsius (to the half degree) the vocabulary speaks; a bare 68 stays
# 68 and is refused as out of range, never taken for Fahrenheit
FAHRENHEIT = re.compile(r"\b(\d+(?:\.\d+)?) (?:degrees? )?fahrenheit\b|\b(\d+(?:\.\d+)?) degrees? f\b|\b(\d{2,3}) f\b")


def corrected(text: str) -> str:
    """What is left once a correction takes back what came before it; the verb carries over to a bare name.

    "turn on the porch light no wait the fairy lights" -> "turn on the fairy lights";
    "turn off the fan no actually leave it on and switch the dryer off" -> "switch the dryer off".
    """
    marks = list(CORRECTION.finditer(text))
    if not marks or not text[: marks[-1].start()].strip():
        return text
    before, after = text[: marks[-1].start()].strip(), LEFT_AS_IT_IS.sub("", text[marks[-1].end():].strip()).strip()
    before = re.sub(r"\s+(?:and|then|so|but)$", "", before)  # "open the inlet valve... i mean close it": "..." is "and" by now
    way_only = re.fullmatch(r"(?:(?:turn|switch) )?(?:it |them )?(on|off|open|close|shut|lock|unlock|start|stop)(?: (?:it|them))?", after)
    thing = re.search(r"\b((?:the|my|our) (?:\w+ ){0,3}?\w+|[a-z]+ (?:\d{1,2}|[a-h]))$", before)  # "the garage", "conveyor a"
    if way_only and thing:  # "close the garage i mean open it" -> "open the garage"
        way = way_only.group(1)
        return f"turn {way} {thing.group(1)}" if way in ("on", "off") else f"{way} {thing.group(1)}"
    if re.fullmatch(r"(?:turn|switch|open|close|shut|lock|unlock|start|stop) (?:it|them)(?: on| off)?", after) and thing:
        return re.sub(r"\b(?:it|them)\b", thing.group(1), after, count=1)
    verb = re.match(r"^((?:please )?(?:\w+ ){1,2}?)(?:the|my|our) ", before)
    if verb and re.match(r"^(?:the|my|our) ", after) and not re.search(r"\b(?:and|then)\b", after):
        return verb.group(1) + after
    return after or text


def _amount(match: re.Match[str], number: str, text: str) -> str:
    """"to half way" -> "to 50 percent"; after "by" ("down by a quarter") it stays a change: "by 25 percent"."""
    by = text[: match.start()].endswith("by ") and not match.group(0).startswith(("to ", "at "))
    return f"{'' if by else 'to '}{number} percent{match.group('what') or ''}"


def _celsius(match: re.Match[str]) -> str:
    value = float(next(g for g in match.groups() if g))
    return f"{round((value - 32) * 5 / 9 * 2) / 2:g} degrees"


# "switch of the christmas tree": a slip of "off", never the opposite command; "turn on the switch of the lamp"
# and "turn on switch of wemo socket" name a switch, said after a verb or a determiner
SLIP_OFF = (re.compile(r"(?<!\bon )(?<!\boff )(?<!\bthe )(?<!\bmy )(?<!\bour )(?<!\ba )"
                       r"\b(turn|switch|swich|swtich|swith|power|shut) of\b(?! (?:the|my|our) \w+ on\b)"), r"\1 off")
SLIP_OFF_END = re.compile(r"^((?:please )?(?:turn|switch|power) .+?) of((?: please)?)(?=$| (?:its|it's|it is|im|i'm|as|cos"
                          r"|because|thanks|cheers)\b)"
                          # "turn the floodlights of in the car park": before a place
                          r"|^((?:please )?(?:turn|switch|power|shut) (?:\S+ ){1,4}?)of(?= (?:in|at|out|upstairs|downstairs"
                          r"|outside|inside|over)\b)")
# "lights of in here", "bedroom fan of please", "fesoon lights of on the terrace": a slip of "off" after a kind of device, with no verb said
SLIP_OFF_KIND = re.compile(r"^((?:(?:please|the|all) )*(?:\S+ ){0,2}?(?:lights?|lamps?|fans?|heaters?|plugs?|kettle|tv|heating)) of"
                           r"(?= in here\b| please\b| now\b| (?:on|in|at|out) the\b| upstairs\b| downstairs\b| outside\b|$)")
def _sent_out(match: re.Match[str]) -> str:
    """"send the phantom round the foyer": start it, round the foyer."""
    return f"start {match.group('what')}" + (f" {match.group('round')}" if match.group("round") else "")


def _off_said(match: re.Match[str]) -> str:
    return f"{match.group(1)} off{match.group(2)}" if match.group(1) else f"{match.group(3)}off"


# "turn the lights out", "put out the lamp": off, said as the model knows it (it read "turn ... out" as brighter)
_OUT_OF_A_PLACE = r"(?! (?:of|back|front|side|there|the back|the front|the side)\b)"  # "out (the) back": a place, not off
# (not what rolls out: "put the canopy out, looks like rain" opens it)
OUT_AS_OFF = re.compile(r"\b((?:turn|switch|put|change|bring)(?!(?: \S+){0,4}? (?:awnings?|canopy|canopies|sunshades?|blinds?|shades?"
                        r"|parasols?|ramps?|steps?|bins?|washing)\b)(?: \S+){0,4}?) out\b" + _OUT_OF_A_PLACE)
# "lights out", "kitchen lights out please": the idiom for off, said with no verb ("the lights out back" is a place)
LIGHTS_OUT = re.compile(r"^((?:(?:please|ok|okay|now|all) )?(?:the )?(?:\S+ ){0,2}?(?:lights?|lamps?)) out\b" + _OUT_OF_A_PLACE)


# the switching words of the languages people mix in ("apaga la luz of the kitchen", "mach das licht aus", "fan band
# karo"), said as the model knows them: never the other way round
FOREIGN_WAY = (
    (re.compile(r"\b(?:[ée]teins|[ée]teindre|[ée]teignez|apaga|apague|apagar|apaguen|spegni|spegnere|desliga|desligue|desligar"
                r"|ausschalten|ausmachen)\b"), "turn off"),
    (re.compile(r"\b(?:allume|allumer|allumez|enciende|encienda|encender|prende|accendi|accendere|liga|ligue|ligar"
                r"|einschalten|anmachen)\b"), "turn on"),
    (re.compile(r"\b(?:mach|mache|machen|schalt|schalte|schalten) (.+?) aus\b"), r"turn \1 off"),
    (re.compile(r"\b(?:mach|mache|machen|schalt|schalte|schalten) (.+?) (?:an|ein)\b"), r"turn \1 on"),
    (re.compile(r"\b(?:band|bandh) kar(?:o| do|do|iye| dijiye)\b"), "off"),
    (re.compile(r"\b(?:chalu|on) kar(?:o| do|do|iye| dijiye)\b"), "on"),
)


@dataclass(frozen=True)
class Said:
    """A sentence split into what the model should read and what rules keep for themselves."""

    text: str  # for the model: scope words and the exception taken out, fixed phrases rewritten
    everywhere: bool = False  # "everywhere", "in the whole house": every device of the kind on the site
    every: bool = False  # "all the lights", "every lamp"
    excluded: str | None = None  # "the porch light" of "... except the porch light"
    spared: bool = False  # the exclusion was "... but don't <verb> the front door": left alone, not "all the others"
    negated: bool = False
    unneeded: bool = False  # "i don't need the light": the only negation, said of wanting it
    relative_degrees: str | None = None  # "2 degrees warmer"
    later: str | None = None  # "every morning", "if it gets dark": a time or condition no gateway clock can keep
    when: When | None = None  # "in ten minutes", "at 7 am": when to do it, taken out of `text`
    lasting: When | None = None  # "for ten minutes": undo it this long after it is done, taken out of `text`
    timed_part: str | None = None  # "... and send it home in an hour": a time said of one request of several


def read(text: str, device_words: frozenset[str] | set[str] = frozenset(), places: frozenset[str] | set[str] = frozenset()) -> Said:
    """`text` is normalised; `device_words` are the generic words for kinds of device ("lights", "fan"); `places` the
    words of the site's area aliases and floors ("house", where some areas are called so)."""
    for pattern, english in FOREIGN_WAY:
        text = pattern.sub(english, text)
    text = TEXTED.sub(lambda m: TEXTED_WORDS[m.group(0)], VERB_SLIP.sub(lambda m: VERB_SLIPS[m.group(0)], text))
    text = LOCK_UP.sub("lock all the doors in the house", text)
    text = GET_GOING.sub(r"start \g<what>", SEND_OUT.sub(_sent_out, SET_OFF.sub(r"start \g<what>", OFF_YOU_GO.sub("go", text))))
    text = FIRE_UP_ALL.sub(r"turn on \1", text)
    text = MORE_OR_LESS.sub(lambda m: MORE_OR_LESS_SAID[m.group(0)], text)
    text = HEDGED_VALUE.sub(r"\1 ", text)
    text = UNDONE_LATER.sub(r"\1 for \2", text)  # "turn on the fan now and turn it off in 10 minutes": for 10 minutes
    timed_part = _timed_part(text)
    when, text = take(text)
    lasting, text = take_duration(text)
    relative = RELATIVE_DEGREES.search(text)
    if relative is None and not re.search(r"\d", text) and not LIGHT_SAID.search(text):
        step = HEAT_STEP.search(text)
        relative = step if step and not (step.group("complaint") and ASKS_OTHERWISE.search(text)) else None
    taken_back = TAKEN_BACK.search(text) is not None and TAKEN_BACK.sub("", text).strip() != "" or bool(LEAVE_FIRST.match(text))
    no_verb = NO_VERB.search(text)  # before a correction reads "no stop" as "stop" said again
    text = corrected(text)
    main, excluded = text, None
    marker = EXCEPTION.search(text) or ((every_but := EVERY_BUT.search(text)) and BUT.search(text, every_but.start("marker")))
    spared = BUT_DONT.search(text) if marker is None else None
    alone = LEAVE_ALONE.search(text) or LEAVE_AS_IS.search(text) or STAYS.search(text) if marker is None and spared is None else None
    kept = KEEP_AS_IS.search(text) if marker is None and spared is None and alone is None else None
    beside_the_rest = kept is not None and THE_REST.search(f"{text[: kept.start()]} {text[kept.end():]}") is not None
    if kept and beside_the_rest:  # "turn off the rest of the lights, keep the desk lamp on": all the others
        main = " ".join(THE_REST.sub("all the", f"{text[: kept.start()]} {text[kept.end():]}").split())
        excluded = kept.group("what")
    elif kept and (rest := f"{text[: kept.start()]} {text[kept.end():]}".strip()) and REQUEST_START.match(rest):
        # "ceiling light off, keep the chair light on" switched the chair light on: what is kept is left out
        main, excluded, spared = " ".join(rest.split()), kept.group("what"), kept
    elif marker:
        main, excluded = text[: marker.start()].strip(), text[marker.end():].strip() or None
    elif spared:
        main, excluded = text[: spared.start()].strip(), SPARED_TAIL.sub("", text[spared.end():]).strip() or None
    elif alone:
        main, excluded, spared = f"{text[: alone.start()]} {text[alone.end():]}".strip(), alone.group("what"), alone
        taken_back, main = taken_back or not main, main or text
    negations = NEGATION.findall(POLITE.sub(" ", main))  # "but not the porch light" is an exception, not a negation
    unneeded = len(negations) == 1 and bool(UNNEEDED.search(main)) and not re.search(r"\boff\b", main)
    negated = bool(negations) and not unneeded or taken_back or no_verb is not None
    stated = STATED_EVERYWHERE.search(main)
    if stated:  # taken out for the model as ever, but no scope
        main = " ".join(f"{main[: stated.start()]}{EVERYWHERE.sub(' ', stated.group(0))}{main[stated.end():]}".split())
    scope = EVERYWHERE.search(main) if not stated else None
    if scope and (after := main[scope.end():].split()[:1]) and after[0] in device_words:
        scope = None  # "heat mode on the house heating": a device's name, not the whole house
    # "every light in the house" where the site says which areas are the house: those areas, not the plant too
    # ("in every room" stays everywhere where areas are called "room 1" or "the green room": no one place is "every room")
    everywhere = bool(scope) and not set(scope.group(0).split()) - EVERY_PLACE_KIND & places
    main = " ".join(EVERYWHERE.sub(" ", main).split()) or main if everywhere else main
    main = EMPHATIC_EVERY.sub("every", HERE.sub("in here", GREETING.sub("", main)))
    # an exception says "all the others": "turn off the lights except the porch light"
    every = excluded is not None and not spared or beside_the_rest or any(m.group("kind") in device_words or m.group("kind").rstrip("s") in device_words
                                        for m in EVERY.finditer(main))
    for pattern, number in AMOUNTS:
        main = pattern.sub(lambda m, n=number: _amount(m, n, main), main)
    main = FAHRENHEIT.sub(_celsius, main)
    main = SLIP_OFF_KIND.sub(r"\1 off", main)
    main = LIGHTS_OUT.sub(r"\1 off", OUT_AS_OFF.sub(r"\1 off", SLIP_OFF_END.sub(_off_said, SLIP_OFF[0].sub(SLIP_OFF[1], main))))
    later = LATER.search(text)
    return Said(" ".join(main.split()), everywhere, every, excluded, bool(spared), negated, unneeded,
                relative.group(0) if relative else None, later.group(0) if later else None, when, lasting, timed_part)


def _timed_part(text: str) -> str | None:
    """The time said in a request after the first of several ("turn off the tv and lock the door in 10 minutes"),
    where none is said in the first, or how long one of several lasts ("turn on the lamp for 10 minutes and close
    the blinds": undoing both reopened the blinds): which of them waits is not clear."""
    first, *rest = NEXT_REQUEST.split(text)
    if not rest:
        return None
    lasting = take_duration(first)[0]
    if lasting or take(first)[0]:
        return lasting.said if lasting else None
    for part in rest:
        when = take(part)[0] or take_duration(part)[0]
        if when:
            return when.said
    return None
