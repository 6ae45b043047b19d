"""Text normalisation shared by training and runtime: lower case, plain words, digits.

Numbers said as words become digits before the model ("twenty one and a half"
-> "21.5", "pump three" -> "pump 3"), so the model only copies digits and the
resolver compares names the same way on both sides.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_UNITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_NUMBER_WORDS = set(_UNITS) | set(_TENS) | {"hundred"}
SPELLING = {"lite": "light", "lites": "lights", "plz": "please", "pls": "please", "thx": "thanks", "blu": "blue", "aff": "off",
            "ere": "here", "nite": "night", "hame": "home", "doon": "down", "tae": "to", "kil": "kill", "teh": "the",
            # Jamaican: "tun off di light", "mek it warm", "lef di slow pot pon", "nuh badda wid di radio"
            "di": "the", "tun": "turn", "mek": "make", "pon": "on", "lef": "leave", "nuh": "don't", "badda": "bother",
            "cole": "cold", "wid": "with", "g'night": "goodnight", "gnight": "goodnight"}
# "turn of the kitchen lite pls", "pit the big lights aff", "all off in ere", "send rab hame", "blinds doon"
_PUNCT = re.compile(r"[^\w\s%.'+-]")
_SPACES = re.compile(r"\s+")


_HEARD_AS = {"won": "one", "tree": "three"}  # after a tens word ("for", "to", "too" are words there too)


def _words_to_numbers(words: list[str]) -> list[str]:
    # "twenty won", "thirty tree": a recogniser's homophone of a unit after a tens word is that unit; "dim the high
    # bays too 25": "too" before a number is "to"
    words = [_HEARD_AS[w] if w in _HEARD_AS and i and words[i - 1] in _TENS
             else "to" if w == "too" and i + 1 < len(words) and words[i + 1][:1].isdigit() else w for i, w in enumerate(words)]
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word not in _NUMBER_WORDS or (word == "oh" and not out):
            out.append(word)
            i += 1
            continue
        value, j = 0, i
        current = 0
        while j < len(words) and words[j] in _NUMBER_WORDS:
            w = words[j]
            if w == "oh":
                break
            if w == "hundred":
                current = max(current, 1) * 100
            elif w in _TENS:
                if current % 100 >= 10 and current % 100 != 0:
                    break
                current += _TENS[w]
            else:
                if current % 10 != 0 or (current % 100 >= 10 and current % 100 < 20):
                    break
                current += _UNITS[w]
            j += 1
        if j == i:  # a lone "oh" after a number-less context
            out.append(word)
            i += 1
            continue
        value = current
        text = str(value)
        if j + 2 < len(words) and words[j] == "and" and words[j + 1] == "a" and words[j + 2] == "half":
            text, j = f"{value}.5", j + 3
        elif j + 1 < len(words) and words[j] == "point" and words[j + 1] in _UNITS:
            text, j = f"{value}.{_UNITS[words[j + 1]]}", j + 2
        out.append(text)
        i = j
    return out


def normalize(text: str) -> str:
    """Lower-case, strip punctuation and accents, turn number words into digits.

    Pure, and called several times per command (parser, placeholders, resolver) on the
    same few strings: short ones are remembered (a long one could only fill memory).
    """
    return _normalize_short(text) if len(text) <= 256 else _normalize(text)


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("’", "'").replace("°", " degrees ")
    # "turn on the kitchen light. turn off the hall light": a second sentence is a second part, as "and" joins it
    text = re.sub(r"(?<=[^\W\d_])\s*[.;!]+\s+(?=[^\W\d_])", " and ", text)
    text = re.sub(r"(\d)\s*%", r"\1 percent", text)
    text = text.replace("%", " percent ")
    # a unit written onto its number ("7500kelvin", "50percent", "2700k" for a white): the model reads words
    text = re.sub(r"(\d)(kelvin|percent|degrees?)\b", r"\1 \2", text)
    text = re.sub(r"\b(\d{4,5})k\b", r"\1 kelvin", text)
    text = re.sub(r"\b(\d{2,3})f\b", r"\1 f", text)  # "71f": Fahrenheit, which the sentence reader converts
    text = re.sub(r"(?<=[a-z]) (?:number|no\.?|#) ?(\d+)\b", r" \1", text)  # "mixer number 2", "pump no. 3", "fan #2"
    text = _PUNCT.sub(" ", text)
    text = re.sub(r"(?<!\d)[.+](?!\d)|(?<=\d)\.(?!\d)", " ", text)  # keep decimal points only
    text = re.sub(r"(?<![\w])'|'(?![\w])", " ", text)
    text = re.sub(r"(?<=\w)-(?=\w)", " ", text).replace("-", " ")
    words = [SPELLING.get(w, w) for w in _SPACES.sub(" ", text).strip().split(" ")]
    # "19 and a half" as "nineteen and a half" is: 19.5 (was read as 19, and "a half" as a second setting of 50)
    # ("twenty six and half" too, not "2 and half the lights")
    text = re.sub(r"(?<![\d.])(\d+) and (?:a )?half\b(?! (?:the|of|my|our|an?|them|those|these)\b)", r"\1.5",
                  " ".join(_words_to_numbers([w for w in words if w])))
    # "five thousand kelvin", "two thousand seven hundred": 5000, 2700 (was "5 thousand", read as 5 kelvin)
    return THOUSANDS.sub(lambda m: str(int(m.group(1)) * 1000 + int(m.group(2) or 0)), text)


THOUSANDS = re.compile(r"(?<![\d.])(\d{1,2}) thousand(?: (\d{1,3})(?![\d.]))?\b")


_normalize_short = functools.lru_cache(maxsize=16384)(_normalize)
