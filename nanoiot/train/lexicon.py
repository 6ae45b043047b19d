"""Words the corpus generator draws on: device names, areas, colours, fillers.

Each name list is split into names seen in training and names held out for
evaluation (the `HELD_OUT_*` sets), so the held-out figures measure whether
new devices work without retraining.
"""

from __future__ import annotations

DEVICE_NAMES: dict[str, list[str]] = {
    "light": [
        "ceiling light", "floor lamp", "desk lamp", "bedside lamp", "reading lamp", "pendant light",
        "chandelier", "strip lights", "led strip", "spotlights", "wall sconce", "night light",
        "porch light", "table lamp", "fairy lights", "downlights", "vanity light", "cabinet lights",
        "corner lamp", "globe lamp", "arc lamp", "hue bulb", "mirror light", "lantern", "string lights",
        "track lights", "overhead light", "accent light", "uplighter", "lava lamp", "tiffany lamp",
        "bar lights", "island lights", "stair lights", "flood light", "garden spots", "ring light",
        "salt lamp", "moon lamp", "neon sign", "piano lamp", "cove lights",
    ],
    "switch": [
        "coffee maker", "kettle", "smart plug", "heater plug", "tv plug", "dehumidifier", "humidifier",
        "christmas tree", "aquarium pump", "printer", "space heater", "rice cooker", "toaster",
        "espresso machine", "power strip", "electric blanket", "wemo", "outlet", "socket", "router plug",
        "fountain", "air purifier", "towel warmer", "slow cooker", "monitor", "speaker plug",
        "hot tub", "pool pump", "bread maker", "soda stream", "fridge plug", "grow light plug",
    ],
    "climate": [
        "thermostat", "heating", "radiator", "air conditioner", "heat pump", "floor heating", "ac",
        "boiler", "climate control", "aircon", "hvac", "wall heater",
    ],
    "lock": [
        "front door", "back door", "side door", "patio door", "gate lock", "shed lock", "deadbolt",
        "main entrance", "garden gate", "cellar door", "office door", "porch door", "storeroom door",
        "server room door", "mailbox lock",
    ],
    "cover": [
        "garage door", "blinds", "shades", "curtains", "shutters", "roller blind", "skylight", "awning",
        "window", "roof window", "drapes", "sunscreen", "roller shutter", "venetian blinds", "loading door",
        "sliding gate", "pergola roof",
    ],
    "fan": [
        "ceiling fan", "desk fan", "extractor fan", "bathroom fan", "attic fan", "tower fan", "exhaust fan",
        "ventilator", "pedestal fan", "box fan", "cooling fan", "air circulator",
    ],
    "vacuum": [
        "robot vacuum", "roomba", "vacuum", "hoover", "robot", "vacuum cleaner", "mop robot", "deebot",
        "roborock", "robot hoover", "cleaning robot", "robovac",
    ],
    "valve": [
        "main valve", "water valve", "irrigation valve", "inlet valve", "gas valve", "sprinkler valve",
        "drain valve", "feed valve", "valve 1", "valve 2", "valve 7", "valve 12", "bypass valve",
        "steam valve", "outlet valve", "coolant valve", "hose valve",
    ],
    "machine": [
        "conveyor a", "conveyor b", "conveyor c", "conveyor 1", "conveyor 4", "pump 1", "pump 2", "pump 3",
        "pump 7", "mixer 1", "mixer 2", "compressor", "compressor 2", "motor 5", "press 2", "grinder",
        "chiller", "extruder", "agitator", "centrifuge", "boiler feed pump", "crusher", "band saw",
        "lathe", "packer", "palletizer", "blower", "dosing pump", "main conveyor", "screw conveyor",
        "shredder", "bottle filler", "labeler", "spindle", "sump pump", "transfer pump", "kiln fan",
    ],
    "sensor": [
        "temperature sensor", "humidity sensor", "water level sensor", "pressure gauge", "co2 sensor",
        "flow meter", "weather station", "tank level", "soil sensor",
    ],
}

# Invented names teach the model to copy any span, not to memorise a list.
SYLLABLES = "ka lo mi zu ra ve to ni shi bo da fe gri mon tal pex vor lin quo sa rho bex".split()

HELD_OUT_NAMES: dict[str, set[str]] = {
    "light": {"lava lamp", "tiffany lamp", "neon sign", "piano lamp", "cove lights", "moon lamp"},
    "switch": {"bread maker", "soda stream", "fridge plug", "grow light plug"},
    "climate": {"hvac", "wall heater"},
    "lock": {"server room door", "mailbox lock"},
    "cover": {"sliding gate", "pergola roof"},
    "fan": {"box fan", "air circulator"},
    "vacuum": {"robovac"},
    "valve": {"coolant valve", "hose valve"},
    "machine": {"spindle", "sump pump", "transfer pump", "kiln fan", "labeler"},
    "sensor": {"soil sensor", "tank level"},
}

AREAS = [
    "kitchen", "living room", "bedroom", "master bedroom", "bathroom", "hall", "hallway", "office",
    "garage", "basement", "attic", "dining room", "guest room", "kids room", "nursery", "patio", "porch",
    "garden", "backyard", "balcony", "laundry room", "study", "den", "lounge", "front yard", "driveway",
    "greenhouse", "workshop", "cellar", "pantry", "upstairs", "downstairs", "landing", "playroom",
    "packing line", "line 1", "line 2", "warehouse", "boiler room", "pump house", "loading dock",
    "assembly hall", "paint shop", "cold store", "plant room", "compressor room", "water treatment",
    "utility room", "gym", "sunroom", "conservatory", "mudroom", "loft", "shed", "terrace",
]
HELD_OUT_AREAS = {"sunroom", "conservatory", "mudroom", "loft", "shed", "terrace"}

# Generic words: a phrase made only of these names a domain, not a device.
DOMAIN_WORDS: dict[str, list[str]] = {
    "light": ["light", "lights", "lamp", "lamps", "lighting", "bulbs"],
    "switch": ["plug", "socket", "outlet", "switch"],
    "climate": ["thermostat", "heating", "heat", "temperature"],
    "lock": ["lock", "door"],
    "cover": ["blinds", "shades", "curtains", "shutters"],
    "fan": ["fan", "fans"],
    "vacuum": ["vacuum", "robot vacuum", "roomba", "hoover", "robot"],
    "valve": ["valve"],
    "machine": ["machine", "motor", "line"],
    "sensor": ["sensor"],
}

# Colours as people say them; the target joins the words ("light blue" -> lightblue, a CSS name).
# Colours are a closed set (nanoiot.colors), so all are trained and none is held out.
COLORS = [
    "red", "green", "blue", "yellow", "orange", "purple", "pink", "white", "cyan", "magenta", "violet",
    "turquoise", "teal", "lime", "gold", "amber", "lavender", "crimson", "navy", "coral", "aqua", "indigo",
    "maroon", "salmon", "beige", "brown", "olive", "chartreuse", "fuchsia", "khaki", "orchid", "plum", "tan",
    "tomato", "silver", "grey", "gray", "ivory", "peach puff", "aquamarine", "azure", "firebrick", "goldenrod",
    "sienna", "snow", "linen", "wheat", "thistle", "orange red", "light blue", "sky blue", "dark blue",
    "royal blue", "light green", "dark green", "forest green", "sea green", "lime green",
    "hot pink", "deep pink", "light pink", "dark red", "dark orange", "steel blue", "midnight blue",
    "spring green", "lawn green", "dodger blue", "deep sky blue", "medium purple", "dark violet",
    "blue violet", "yellow green", "light yellow", "light coral", "indian red", "slate blue", "powder blue",
]
# The names of whites are nanoiot.colors.WHITE_KELVIN's (Home Assistant's values); moods are ours.
COLOR_TEMPS = {
    "warm white": 2700, "warm": 2700, "soft white": 3000, "cozy": 2200, "candle light": 1900,
    "neutral white": 4000, "cool white": 4000, "cool": 5000, "daylight": 6500, "cold white": 4000,
}

WAKE_WORDS = ["alexa", "hey google", "ok google", "hey olly", "olly", "siri", "hey siri", "computer", "jarvis", "hey nano"]
POLITE_BEFORE = [
    "please", "could you", "can you", "would you", "would you please", "can you please", "i want you to",
    "i'd like you to", "i need you to", "go ahead and", "quickly", "kindly", "hey", "ok", "okay", "um",
    "uh", "so", "right", "now", "just", "let's", "help me",
]
POLITE_AFTER = ["again", "as well", "too", "please", "now", "thanks", "thank you", "right now", "asap", "for me", "if you can", "cheers", "ok"]
