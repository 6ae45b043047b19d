"""Requests that would be unsafe to carry out on words alone, whoever asks: somebody at or in the device, a fault
said and not put right, opening up for somebody nobody here knows, or on somebody's say-so.

The gateway knows which device a request came from, never who is speaking or what is in front of the machine; so
these are refused with the code `unsafe` (the safe way, stopping, closing a valve, switching off or locking, is still
done). Which sources may unlock or start at all is the site's permissions' to say (`nanoiot/gateway/permissions.py`).
"""

from __future__ import annotations

import re

from nanoiot.frame_rules import QUERY
from nanoiot.resolver import ResolveError
from nanoiot.schema import Action
from nanoiot.sentence import Said

# someone at or in the device, or it opened up ("start mixer 2, i'm still cleaning the blades", "close the garage
# door, my daughter's still standing under it", "i've got the filter housing off"): nothing that moves it
AT_RISK = re.compile(
    r"\b(?:i'm|im|i am|we're|we are|he's|she's|they're|he is|she is|they are|(?!(?:it|that|there|what|here|this|who)'s)[a-z]+'s"
    r"|(?:someone|somebody|the \w+ers?|the kids?|my \w+) (?:is|are) all"  # "the kids are all under it"
    r"|(?:someone|somebody|the \w+ers?|the kids?|my \w+|(?!(?:it|that|there|what|here|this|who|which|where)\b)[a-z]+) (?:is|are))"
    r" (?:still |currently |just |up )?(?:cleaning|fixing|repairing"
    r"|changing|servicing|working on|replacing|inspecting|unjamming|clearing|greasing|oiling|adjusting|up the ladder|under|inside"
    r"|underneath|beneath|standing (?:under|in|on|next to|by)|in (?:the|there))\b"
    r"|\b(?:still )?(?:has|have|got|'s got|'ve got) (?:his|her|their|my|your|a|an|the) (?:arm|hand|fingers?|head|foot|leg|paw|nose"
    r"|tail)s? (?:in|on|near|by|under|over|through|down|out)\b"
    # "my little one's got her hair right by the intake", "pulling the offcut off the blade": at what cuts, pulls or sucks
    r"|\b(?:hands?|fingers?|arms?|hair|sleeves?|foot|feet|head|paws?)\b(?: [\w']+){0,3}? (?:on|in|by|near|under|at|against"
    r"|touching|next to) the (?:blade|belt|chain|drum|auger|rollers?|ram|jaws?|intake|drain|cutter|spindle|chuck|nip|pinch point"
    r"|track|rails?|runners?|gap|hinges?|wheel|disc|grinder|stone|bit|needle|reels?|spool)\b"
    # "bring the worktop down, my hand's under it"
    r"|\b(?:off|out of|from) the (?:blade|chain|drum|auger|rollers?|jaws?|intake|cutter|spindle|chuck)\b"
    r"|\b(?:still )?(?:has|have|got|'s got|'ve got) (?:the|a|an|its) (?:[\w-]+ ){0,2}(?:cut open|open|off|apart|unbolted|disconnected"
    r"|removed|out)\b"
    r"|\b(?:unbolted|cut open|dismantled|taken apart|guard off|cover off|lid off|housing off|hissing|sparking|smoking|melted"
    r"|scorched|charred|burnt out)\b"
    # "jonesy's still clipped onto it": somebody fastened to what moves
    r"|\b(?:clipped|hooked|tied|strapped|attached|harnessed) (?:on|onto|to|into) (?:it|the)\b"
    # "maintenance is still in the cell", "i'm reaching in to clear the jam", "there's a forklift sitting under it"
    r"|\b(?:i'm|im|i am|we're|we are) (?:still |just )?(?:scraping|wiping|emptying|loading|unloading|scrubbing|feeding|topping up"
    r"|refuelling|filling) (?:the|it|out|up)\b|\bin (?:bits|pieces)\b|\bstripped (?:down|out)\b"
    r"|\b(?:is|are|'s|'re) (?:still |currently |right |just |directly |already )?(?:in|inside|under|underneath|beneath|on) (?:the (?:cell|cage"
    r"|machine|guard|pit|tank|sling|seat|harness|basket|cradle|platform|track"
    r"|hopper|bowl|drum|line|conveyor|belt|roller|way|doorway|door|opening|guarding)|it|there)\b"
    r"|\b(?:reaching|climbing|leaning|crawling|stepping) (?:in|into|inside|under|through|over|across)\b"
    r"|\b(?:there's|there is|there are) (?:a |an |the |some |someone |somebody )?(?:[a-z]+ ){0,2}(?:sitting |parked |standing |stuck "
    r"|stopped |left )?(?:under|in|beneath|underneath|blocking|halfway (?:in|through|under)) (?:it|the (?:door|doorway|way|opening"
    r"|gate))\b"
    # "the cat's climbed in", "the dog's asleep under it": an animal or a child in or under it
    r"|\b(?:cats?|dogs?|kittens?|pupp(?:y|ies)|kids?|bab(?:y|ies)|child|children|toddlers?|hamsters?|rabbits?|birds?|chickens?|hens?)"
    r"(?:'s| has| have| is| are)? (?:\w+ )?(?:climbed|crawled|jumped|got|gone|hopped|hiding|asleep|sleeping|curled(?: up)?|lying"
    r"|sitting|sat|napping) (?:in|into|inside"
    r"|under|underneath|in there)\b"
    r"|\b(?:[a-z]+'s|[a-z]+ (?:has|have|is|are)) (?:just |gone and )?(?:climbed|crawled|jumped|hopped) (?:in|into|inside|under"
    r"|underneath|in there)\b"  # "my little lad's climbed inside it"
    # "maisie's holding the plank for me": a hand on the work a saw cuts
    r"|\b(?:holding|steadying|feeding|guiding) (?:the|a|that|this) (?:plank|wood|board|piece|workpiece|timber|sheet|log|branch)\b"
    # "my lad's holding the lance pointed at his mate's face"
    r"|\b(?:pointed|aimed|pointing|aiming) (?:it |them )?(?:right |straight )?at (?:(?:\w+'s|his|her|my|your|their|our|the) ){0,2}"
    r"(?:face|eyes?|head)\b"
    # "the engineer said it's dangerous to run it till he's swapped the motor"
    r"|\b(?:dangerous|unsafe|not safe|isn't safe|is not safe) to (?:run|use|start|turn (?:it |them )?on|switch (?:it |them )?on"
    r"|open|operate)\b|\b(?:sounds|looks|seems|feels|smells) (?:really |a bit |pretty |well )?(?:dangerous|unsafe|dodgy)\b"
    r"|\bin the way\b"
    # "run auger two while i clear the blockage"
    r"|\bwhile (?:i|we|he|she|they|someone|somebody)(?:'m|'re|'s| am| are| is)? (?:still )?(?:clear|clean|fix|unjam|unblock|work"
    r"|reach|climb|grease|oil|chang|replac|inspect|swap)\w*")
# somebody where a door, a machine or a robot moves ("kev's still underneath", "the lad's still stood on em", "the kids
# are playing under the shutter", "dad's car is only halfway in", "dario's still scraping the bowl", "jays sunbathing on
# the grass", "the gravediggers are still working by the yew"): nothing that moves there is done (a light still is)
NEAR_WHAT_MOVES = re.compile(
    r"\b(?:still|only|just) (?:half |partly |part way |partway )?(?:underneath|beneath|under|inside|in there"
    r"|halfway (?:in|through|out|under))\b"
    r"|\b(?:still|only|just) (?:half|partly|part way|partway) (?:in|out|under|through)\b"  # "the van's still half in it"
    r"|\b(?:is|are|'s|'re|s) (?:still |only |just )?half(?: ?way)? (?:in|through|out|under|across)\b"
    # "garage door close, car half in", "there's a wagon half through it"
    r"|\b(?:car|van|lorry|truck|wagon|trailer|bike|vehicle|horse|dog|kid|child|someone|somebody) (?:still )?half(?: ?way)?"
    r" (?:in|through|out|under|across)\b"
    r"|\b(?:stood|standing|sitting|sat|lying|laying|asleep|sleeping|sunbathing|playing|kneeling|crouching|hiding|working|napping"
    r"|hanging|swinging|climbing|riding|leaning|cycling|walking|driving|running|reversing|backing|kipping|dozing|resting|waiting"
    r"|sittin|standin|lyin|playin|climbin|hidin|workin)"
    r"(?: \w+){0,2}? (?:right |just |directly )?(?:on|off|in|under|underneath|beneath|inside|in front of|behind|by|near|next to|around"
    r"|through|past|across)"
    r" (?:the|em|them|it|there|my|our|his|her|[a-z]+(?= start| go| run| send| clean)|[a-z]+ \d+)\b"  # "sittin on rab, start him up",
    # "stood under dock 4"
    # "marek's still up on the windrow", "he's right by it", "im on the ladder fixing the corner", "bella's already on it"
    r"|\b(?:i'm|im|i am|we're|we are|he's|she's|they're|he is|she is|they are|(?!(?:it|that|there|what|here|this|who)'s)[a-z]+'s"
    r"|[a-z]+ (?:is|are)) (?:still |just |already )?(?:up on (?:the|it|top)|on (?:the|a) ladder|on top of|on [a-z]+ \d+\b"
    r"|right (?:by|next to|beside"
    r"|under|in front of|behind))\b"
    # "bring the worktop down, my hand's under it", "my fingers are still on the reels"
    r"|\b(?:hands?|fingers?|arms?|foot|feet|head|legs?|hair)(?:'s| is| are|'re)? (?:still )?(?:on|in|under|near|by|at|inside|behind"
    r"|underneath|touching) (?:it|there|the|them)\b"
    # "lift me up with the hoist", "lower him down on the ceiling hoist": a person is what it moves
    r"|\b(?:lift|lower|raise|hoist|swing|transfer|winch) (?:me|him|her|mum|dad|nan|grandad|gran)\b"
    # "there's still someone floating at the deep end", "the dogs are out in the paddock"
    r"|\b(?:someone|somebody|anyone|people|kids?|children|swimmers?)(?:'s| is| are)? (?:still )?(?:floating|swimming|paddling"
    r"|in the (?:pool|water))\b"
    r"|\b(?:dogs?|cats?|kids?|children|pets?|horses?|sheep|chickens?|hens?|animals?|pupp(?:y|ies))(?: are| is|'re|'s) (?:still )?"
    r"(?:out|outside|loose|about)\b"
    # "my son is scraping the bowl", "stevo's still hooking the chain on", "i'm holding the clamp on": hands on it
    r"|\b(?:i'm|im|i am|we're|we are|he's|she's|they're|he is|she is|they are|[a-z]+ (?:is|are)"
    r"|(?!(?:it|that|there|what|here|this|who)'s)[a-z]+'s) (?:still |just )?(?:finishing )?(?:holding|hooking|lacing|threading"
    r"|scraping|loading|feeding|guiding|steadying|wiping|emptying|fitting|hanging|clamping|taping|sanding|measuring|unhooking"
    r"|untangling|finishing|hosing|mopping|washing|sweeping|raking|spraying|ducking|squeezing|lifting|pulling|reaching|grabbing"
    r"|fetching|fishing|netting)"
    r" (?:the|it|them|a|an|his|her|that|this|up|under|through|down|out|off)\b"
    # "close the divider slowly while i hold the edge"
    r"|\bwhile (?:i|we|he|she|they|someone|somebody)(?:'m|'re|'s| am| are| is)? (?:still )?(?:hold|stand|lean|load|feed|lac|hook"
    r"|thread|guid|stead)\w*"
    # "kid on a bike going under it", "children still running through", "a toddler crawling round the foyer"
    r"|\b(?:going|riding|walking|cycling|running|driving|coming|crawling) (?:under|through|beneath|underneath) (?:it|the|them)\b"
    r"|\b(?:children|kids?|people|bab(?:y|ies)|toddlers?|dogs?|cats?|pupp(?:y|ies)|someone|somebody)(?: is| are|'s|'re)? (?:still )?"
    r"(?:running|playing|crawling|toddling|wandering|walking|riding|cycling) (?:through|past|under|round|around|about|on"
    r"|across)\b"
    r"|\b(?:still|busy) (?:scraping|wiping|loading|unloading|emptying|feeding|scrubbing|cleaning|fixing|working on|stacking"
    r"|packing|filling|sorting)\b"
    # "tomek's down in raceway one with the net", "kyle's still back there getting the ball out"
    r"|\b(?:i'm|im|i am|we're|we are|he's|she's|they're|he is|she is|they are|(?!(?:it|that|there|what|here|this|who)'s)[a-z]+'s"
    r"|[a-z]+ (?:is|are)) (?:still |just |already )?(?:down (?:in|inside|under|the)|(?:back|down|up|in|under) there"
    r"|(?:leaning|hanging|reaching) out)\b"
    # "the grandkids want to feed the shredder, can i start it for them"
    r"|\b(?:kids?|grandkids|children|he|she|they|someone|somebody) (?:want|wants|wanna|is going|are going|gonna) to (?:feed|load"
    r"|clear|unjam|reach into)\b"
    # "i just need to get my hand out of the rack first"
    r"|\b(?:get|take|pull|getting|taking|pulling) (?:my|his|her|their|your) (?:hand|hands|arm|arms|fingers?|head|foot|feet) out\b")
MOVERS = ("cover.", "machine.", "vacuum.", "valve.open_valve", "valve.set_valve_position")  # a valve: in what it fills
# a wet electric blanket, a cloth on the hob, an awning in a gale: what is switched on or opened would make it worse
_WET = r"\b(?:soaked|soaking|wet|damp|spilt|spilled)\b"
_WIND = r"\b(?:blowing a gale|blowing a hoolie|gales?|gusts?|gusting|storm|stormy|too windy|so windy|really windy|in this wind)\b"
_SHADE = r"\b(?:awning|canopy|sunshade|parasol|shade sail)\b"
WORSE_FOR_IT = re.compile(rf"{_WET}.*\b(?:electric )?blanket\b|\b(?:electric )?blanket\b.*{_WET}"
                          r"|\b(?:tea towel|towel|cloth|paper|cardboard|clothes|washing|oven glove)(?:'s| is| are)? (?:still )?(?:on|over|near|by"
                          r"|against|touching) the (?:hob|stove|cooker|oven|heater|fire|grill|burner)\b"
                          rf"|{_WIND}.*{_SHADE}|{_SHADE}.*{_WIND}")
# something that heats, left on while nobody is there ("turn on the soldering iron and leave it on while im away")
LEFT_ON_AWAY = re.compile(r"\b(?:leave|keep) (?:it|them|\w+) (?:on|running|going)\b.*\b(?:while|when) (?:i'm|im|i am|we're|we are"
                          r"|i'll be|we'll be) (?:away|out|gone|on holiday|asleep)\b"
                          r"|\b(?:on|running) (?:all|the whole) (?:weekend|week|night)\b(?=.*\b(?:away|out|gone)\b)")
HEATING_THING = re.compile(r"\b(?:iron|soldering|heater|oven|hob|stove|fire|blanket|grill|toaster|kettle|fryer|cooker|burner)\b")
# what moves or powers a device; stopping, closing a valve, switching off and locking stay safe to do
STILLING = {"machine.stop", "valve.close_valve", "lock.lock", "vacuum.stop", "vacuum.return_to_base", "light.turn_off",
            "switch.turn_off", "fan.turn_off"}
# an unlock or an opening for somebody nobody here knows ("unlock the front door for whoever that is")
STRANGER = re.compile(r"\b(?:whoever|some (?:random |strange |weird |dodgy |odd )?(?:guy|man|woman|lady|bloke|lads?|kids?|people"
                      r"|fella|one|body)\b|random (?:guy|man|woman|lady|bloke|fella|person|people|lads?)\b|\bstrangers?\b"
                      # "someone's ringing the bell, open the front door for them"
                      r"|(?:someone|somebody|some one)(?:'s| is|s) (?:ringing|knocking|banging|buzzing|at the (?:door|gate))"
                      r"|(?:says?|reckons?|claims?) (?:he's|she's|they're|he is|she is|they are) from"
                      # "a mum says her buggy won't fit through the front"
                      r"|(?:a|some|this|that) (?:\w+ )?(?:mum|mam|mom|dad|parent|man|woman|guy|lady|bloke|fella|customer|kid|boy|girl"
                      r"|person|visitor) (?:says|said|reckons|wants|asked|asks)\b"
                      # "bloke on the intercom says he's got an appointment", "group at the door say they booked"
                      r"|(?:says?|say|reckons?|reckon|claims?|claim) (?:he|she|they)(?:'s|'ve|'re|'d| is| are| has| have| had"
                      r"| booked| was| were)\b"
                      # "for the guy who says he's reading the meter"
                      r"|(?:guy|man|woman|bloke|fella|lady|someone|somebody|person) who (?:says|claims|reckons|said|rang)\b"
                      # "there's a delivery man waiting"
                      r"|(?:there's|there is) (?:a |some )?(?:delivery|courier|parcel) (?:man|guy|driver|bloke|person|woman|lady)"
                      # "open the gate for the man selling vegetables"
                      r"|for (?:the|a|some) (?:man|woman|guy|lady|bloke|fella|boy|girl|lad) (?:selling|from|with|in a|at the|outside)"
                      # "the bloke banging on it, no idea who he is"
                      r"|(?:no idea|(?:do not|don't|dont) know|not sure) who (?:he|she|they|it|that) (?:is|are)|never seen (?:him|her|them)"
                      r" before|(?:won't|wont|will not|didn't|didnt|refuses to) (?:give|say|tell (?:me|us)) (?:a|his|her|their) name"
                      # "man in a van says he's come to collect the lead off the roof"
                      r"|says? (?:he's|she's|they've|he has|she has|they have) (?:come|here) (?:to|for)"
                      # "the bloke knocking", "some guy banging on the door"
                      r"|(?:bloke|guy|man|woman|lady|fella|lad|kid|someone|somebody) (?:who's |that's |who is |he's |she's )?(?:knocking"
                      r"|banging|ringing|hammering|waiting outside|at the (?:door|gate))\b"
                      r"|for the (?:\w+ )?(?:guy|bloke|man|woman|lady|fella|lad)\b(?=.*\bwaiting\b))")


# a speaker who says they are somebody other than the household or the crew, or leans on a say-so ("i'm the new
# cleaner, let me in the back door", "it's your owner on a new phone", "as the site admin i authorise you to ...",
# "the password is banana", "test mode: ...", "this is a drill, ..."): words, not a key
SAY_SO = re.compile(
    r"\b(?:(?:i'm|i am|im|this is|we're|we are|here's) (?:the |a |an |your |(?!it's|that's|there's)[a-z]+'s |from (?:the |a )?)"
    r"|it'?s your )(?:new |site |plant )?"
    r"(?:[\w']+ ){0,2}?(?:cleaner|contractor|engineer|technician|tech|plumber|electrician|driver|courier|walker|gardener|sysadmin"
    r"|admin|administrator|owner|landlord|police|fire department|firefighters?|inspector|company|manager|supervisor|security"
    r"|guard|neighbou?r|delivery|repairman|handyman|installer|it guy|carer|care worker|support worker|nurse|nanny|babysitter"
    r"|keeper|locum|vet|doctor|rep|fitter|surveyor|postie|postman|caterer|chef|florist|photographer|decorator|builder|joiner"
    r"|pilot|medic|paramedic|inspector|environmental health"
    # "i'm the bride's mum, unlock the suite door for me"
    r"|mum|mam|mom|mother|dad|father|sister|brother|auntie|aunt|uncle|gran|granny|nan|nana|grandma|grandad|grandpa|cousin"
    r"|husband|wife|partner|boyfriend|girlfriend|friend|mate|son|daughter)\b"
    # "hi it's the relief keeper, unlock the back door", "they said it's fine"
    r"|\bit'?s (?:the|a|an) (?:new |relief |agency |temp |stand-?in |locum |site |[a-z]+ )?(?:cleaner|contractor|engineer|technician|plumber"
    r"|electrician|driver|courier|keeper|carer|nurse|locum|vet|doctor|manager|supervisor|security|guard|delivery|postie"
    r"|postman|rep|tech|caterer|warden|caretaker|porter|janitor|landlord)\b"
    r"(?!.*\bfor (?:him|her|them)\b)"  # "yep it's the plumber, unlock the front door for him": the household's word
    r"|\b(?:they|he|she|someone|somebody)(?: said|'ve said| told me) (?:it's|its|it is) (?:fine|ok|okay|alright|allowed)\b"
    # "i'm from the council, open the front door", "nobody gave me the code"
    r"|\bi(?:'ve| have) (?:already )?paid\b|\btrust me\b|\bhonest(?:ly)?$|\bi promise\b"  # "open the entry door, i've paid, honest"
    # "i'm judging for britain in bloom, open the gate"
    r"|\b(?:i'm|im|i am|we're|we are) (?:here )?(?:judging|inspecting|surveying|auditing|collecting|delivering|reading the meter)\b"
    # "i'm the farrier", "my husband's the lifeguard", "i've got a parcel for number 12"
    r"|\b(?:i'm|im|i am) the [a-z]+(?:er|or|ist|ian)\b|\bmy \w+(?:'s| is) the \w+|\b(?:i've|ive|i have) got (?:a |your |the )?(?:parcel"
    r"|package|delivery)\b"
    # "it's granny, open the close door for me son", "mam said i can"
    r"|\bit'?s (?:granny|gran|nan|nana|nanna|grandma|grandad|grandpa|your (?:mum|mam|mom|dad|gran|granny"
    r"|nan|auntie|uncle|brother|sister))\b(?!.*\bfor (?:him|her|them)\b)|\b(?:said|says) (?:i|we) (?:can|could|may|am allowed"
    r"|'m allowed|are allowed)\b"
    r"|\b(?:i'm|im|i am|we're|we are) (?:here )?(?:from|fae|frae|with) (?:the |a |an )?\w+|"
    # "it's mike from the shop, i've locked myself out", "the coxswain said it's fine"
    r"\bit'?s [a-z]+ (?:from|fae|frae) (?:the |a )?\w+|\bthe \w+ (?:said|says) (?:it's|its|it is) (?:fine|ok|okay|alright)\b|\b(?:nobody|no one|no-one) gave me (?:the|a) (?:code|key|fob"
    r"|pin|card)\b"
    r"|\b(?:password|passcode|pin|code) (?:is|was)\b|\boverride code\b|\bauthori[sz]\w*\b|\bapproved (?:it|this)\b"
    # "we booked the winter room, let us in", "i'm the new kp", "i need access", "the new medic said she's allowed",
    # "chef said the fish guy is coming", "hello? uber eats"
    r"|\b(?:we|i)(?:'ve| have)? booked\b|\b(?:i'm|im|i am) (?:the |a )?new \w+|\bi need (?:access|to get in)\b"
    r"|\b(?:said|says) (?:she|he|they|i|we)(?:'s|'re|'m| is| are| am) allowed\b"
    r"|\b(?:said|says) the \w+ (?:guy|man|woman|lady|bloke|driver|delivery|van) (?:is|'s) (?:coming|here|outside)\b"
    r"|^(?:(?:hello|hi|hiya|hey) )?(?:it's |its |this is )?(?:uber eats|deliveroo|just eat|dhl|ups|fedex|dpd|evri|hermes|royal mail"
    r"|parcelforce)\b"
    r"|\btest mode\b|\bjust testing\b|\bthis is a (?:drill|test)\b|\bon a new phone\b|\bdelivery (?:for|driver|from)\b"
    # "open the cage for the bt engineer, he says he lost his badge"
    r"|\b(?:lost|forgot|forgotten|left|misplaced) (?:his|her|their|my) (?:badge|pass|card|key ?card|fob|keys?)\b")
OPENING_UP = {"lock.unlock", "cover.open_cover", "valve.open_valve", "valve.set_valve_position", "machine.start",
              "machine.set_speed", "machine.reset_fault"}


# a fault said of what is to be started ("pump 3 tripped on overload, start it again", "the steam valve is leaking,
# open it fully", "the roomba is stuck under the sofa, start it"), not said to be put right
FAULT_SAID = re.compile(r"\b(?:tripped|trips|tripping|e ?stopped|estopped|e-stopped|overheat\w*|running dry|runs dry|jammed|stuck|leak\w*|blockage|blocked"
                        r"|smok\w*|burning|sparking|faulted|in fault|alarming|alarm(?:'s| is)? (?:going|sounding|ringing|on|screaming"
                        r"|beeping|blaring|flashing)|alarm (?:just )?went off"
                        # "open the fill valve, the tub's already overflowing", "water pouring through the ceiling"
                        r"|overflow\w*|flooding|flooded|pouring (?:through|out|in|from|down)|burst)\b")
PUT_RIGHT = re.compile(r"\b(?:cleared|fixed|repaired|sorted|unjammed|unblocked|replaced|freed|clear now|ok now)\b")
STARTING = {"machine.start", "machine.set_speed", "switch.turn_on", "valve.open_valve", "valve.set_valve_position",
            "vacuum.start", "cover.open_cover", "cover.set_cover_position"}


# "release the e-stop on conveyor a" was read as a stop: an emergency stop is released by someone at the machine
ESTOP_RELEASE = re.compile(r"\b(?:release|reset|clear|pull out|pull up|disengage|unlatch|undo|take off|twist out)\w* (?:the |that |its )?"
                           r"(?:e ?stop|emergency stop|estop|e stop button|mushroom)\b|\b(?:e ?stop|emergency stop) (?:released|reset|off)\b")


# gas said to be smelt or leaking ("open gas, I smell gas anyway"): nothing that opens, starts or powers anything
GAS_SMELT = re.compile(r"\b(?:smell\w*|smelt|whiff|stinks?|reeks?) (?:of )?(?:\w+ ){0,2}?gas\b|\bgas (?:leak\w*|smell\w*|alarm)\b"
                       r"|\bleak\w* (?:of )?gas\b|\bgas\b.*\bignore the (?:smell|alarm|hiss\w*)\b")  # "... the lab b gas, just ignore the smell"


# a harmful gas or fumes said ("there's an ammonia smell, unlock the plant room door so i can have a look", "big
# chlorine whiff in the plant room, crank the hypo pump to 100"): nothing is opened or started (extracting still is)
FUMES = re.compile(r"\b(?:smell\w*|whiff|stinks?|reeks?|leak\w*|alarm\w*) (?:of )?(?:\w+ ){0,2}?(?:ammonia|nh3|chlorine|refrigerant"
                   r"|carbon monoxide|co2|chemicals?)\b|\b(?:ammonia|nh3|chlorine|refrigerant|carbon monoxide|co2|chemical)"
                   r"(?: \w+)? (?:smell\w*|whiff|leak\w*|alarm\w*|stink\w*)\b|\bfumes\b")


# somebody in what is to be locked ("lock the walk-in, jo's still in there doing stock")
LOCKED_IN = re.compile(r"\b(?:[a-z]+'s|[a-z]+ (?:is|are)|someone's|somebody's|i'm|we're|i am|we are) (?:still |currently )?"
                       r"(?:in there|inside|in here|in the \w+)\b"
                       r"|\b(?:shut|close|lock)\w* (?:the |that )?\w+ on (?:him|her|them)\b")  # "shut the doors on him"


# "raise the scope, some kid's hanging off it" and "bring the worktop down, my hand's under it" were read as a stop:
# where somebody is at it, a stop is done only where a stop was said
STOP_SAID = re.compile(r"\b(?:stop\w*|halt\w*|kill|cut|freeze|hold|pause|e ?stop|estop|emergency|shut (?:it |that )?down)\b"
                       # "turn it off", "turn off the conveyor", "conveyor off", not "hanging off it"
                       r"|\b(?:turn|switch|power|shut|knock|flick|put)\w* (?:[\w']+ ){0,3}?off\b|^(?:[\w']+ ){1,3}off\b|\boff$")


def not_safe_now(actions: list[Action], said: Said) -> ResolveError | None:
    """A request that would move a device somebody is at, or open it to somebody nobody here knows: not done from
    here (the safe way, stopping or closing, still is)."""
    moving = [a for a in actions if a.service not in STILLING and a.service != QUERY
              and not (a.service == "climate.set_hvac_mode" and a.data.get("hvac_mode") == "off")]
    if ESTOP_RELEASE.search(said.text) and any(a.service != QUERY for a in actions):
        return ResolveError("unsafe", "an emergency stop is released at the machine, by someone who can see it: nothing "
                                      "done from here")
    if moving and LEFT_ON_AWAY.search(said.text) and HEATING_THING.search(said.text):
        return ResolveError("unsafe", "something that heats, left on with nobody there, is not switched on from here")
    if any(not a.service.startswith("fan.") for a in moving) and FUMES.search(said.text):  # extracting still is
        return ResolveError("unsafe", "gas or fumes were said: nothing but stopping, shutting off or extracting is done "
                                      "from here")
    if moving and GAS_SMELT.search(said.text):
        return ResolveError("unsafe", "gas was smelt or is leaking: nothing that opens, starts or powers anything is done "
                                      "from here (shutting off still is)")
    if any(a.service == "lock.lock" for a in actions) and LOCKED_IN.search(said.text):
        return ResolveError("unsafe", "somebody is still in there: locking them in is not done from here")
    if moving and WORSE_FOR_IT.search(said.text):
        return ResolveError("unsafe", "that would make it dangerous (wet, covered or in a gale): nothing done from here")
    if moving and AT_RISK.search(said.text) or any(a.service.startswith(MOVERS) for a in moving) and NEAR_WHAT_MOVES.search(said.text):
        return ResolveError("unsafe", "someone is at it or it is opened up: nothing that moves it is done from here")
    if any(a.service in ("machine.stop", "vacuum.stop") for a in actions) and not STOP_SAID.search(said.text) \
            and (AT_RISK.search(said.text) or NEAR_WHAT_MOVES.search(said.text)):
        return ResolveError("unsafe", "someone is at it and what was said moves it, not stops it: nothing done from here")
    if any(a.service in ("lock.unlock", "cover.open_cover") for a in actions) and STRANGER.search(said.text):
        return ResolveError("unsafe", "opening up for somebody nobody here knows is not done from here: nothing done")
    if any(a.service in STARTING for a in actions) and FAULT_SAID.search(said.text) and not PUT_RIGHT.search(said.text):
        return ResolveError("unsafe", "it was reported faulty and not put right: nothing that starts or opens it is done "
                                      "from here")
    if any(a.service in OPENING_UP for a in actions) and SAY_SO.search(said.text):
        return ResolveError("unsafe", "opening, unlocking or starting on somebody's say-so is not done from here: nothing "
                                      "done")
    return None
