"""Masking rules for people: names introduced as such ("my name is X", "ik ben X") and street addresses.

Names are only recognised after a phrase that introduces one. After "my name is", "ik heet", "call me" any
word is taken unless it is a common one ("call me back", "mijn naam is verkeerd gespeld"); after "ik ben",
"I am" or a greeting at the end ("groeten, X") only a Capitalised word that is no common word, country,
nationality or religion ("ik ben ziek", "I am Syrian", "ik ben IOM-medewerker" stay).
"""

from __future__ import annotations

import re

from bot.staff.mask_numbers import DASHES, Rule
from bot.staff.mask_words import NOT_NAMES, NOT_STREETS, PARTICLES, STREET_ENDINGS, STREET_WORDS

NAME = "[name]"
ADDRESS = "[address]"

_WORD = r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*"
_UPPER = "A-ZÀ-ÖØ-Þ"
_STRONG = (r"my\s+name\s+is|my\s+name['’]s|(?:my\s+)?name\s*:|i\s+am\s+called|i['’]?m\s+called|i\s+am\s+named|"
           r"(?:they|people)\s+call\s+me|call\s+me|ik\s+heet|mijn\s+naam\s+is|(?:mijn\s+)?naam\s*:|"
           r"noem\s+(?:me|mij)|ze\s+noemen\s+(?:me|mij)")
_WEAK = r"ik\s+ben|i\s+am|i['’]?m|(?:met\s+)?vriendelijke\s+groet(?:en)?|groet(?:en|jes)?|(?:kind\s+)?regards|mvg"
_CUE = re.compile(rf"\b(?:(?P<strong>{_STRONG})|(?P<weak>{_WEAK}))(?:(?<=:)|\b)[\s,:]*(?={_WORD})", re.IGNORECASE)
_NEXT_WORD = re.compile(rf"[ \t]+({_WORD})")
_FIRST_WORD = re.compile(_WORD)
MAX_NAME_WORDS = 4


def _capitalised(word: str) -> bool:
    """Ahmed, Özil, O'Brien; not IOM (an abbreviation) or a one-letter word."""
    return len(word) > 1 and word[0].isupper() and not word.isupper()


def _name_end(text: str, start: int, strong: bool) -> int:
    """Where the name starting at ``start`` ends (``start`` when there is no name there)."""
    first = _FIRST_WORD.match(text, start)
    if first is None or first.group(0).lower() in NOT_NAMES or len(first.group(0)) < 2 or first.group(0).isupper():
        return start
    if not strong and not _capitalised(first.group(0)):
        return start
    end, words, lowercase = first.end(), 1, not _capitalised(first.group(0))
    while words < MAX_NAME_WORDS and (found := _NEXT_WORD.match(text, end)):
        word = found.group(1)
        if word.lower() in PARTICLES and (after := _NEXT_WORD.match(text, found.end())) and _named(after.group(1)):
            end, words = after.end(), words + 2  # "Jan de Vries", "Ahmed al Hassan"
        elif _named(word):
            end, words = found.end(), words + 1
        elif lowercase and words == 1 and word.lower() not in NOT_NAMES | PARTICLES:
            end, words = found.end(), words + 1  # "my name is ahmed hassan"
        else:
            break
    return end


def _named(word: str) -> bool:
    return _capitalised(word) and word.lower() not in NOT_NAMES


def mask_names(text: str) -> str:
    """``text`` with every name after a phrase that introduces one replaced by ``[name]``."""
    parts: list[str] = []
    done = 0
    for cue in _CUE.finditer(text):
        if cue.start() < done:
            continue
        end = _name_end(text, cue.end(), cue.group("strong") is not None)
        if end > cue.end():
            parts += [text[done:cue.end()], NAME]
            done = end
    return "".join(parts) + text[done:]


# -- addresses -----------------------------------------------------------------------------------------

#: A house number: 12, 12a, 12 B, 12-2, 12hs, 12 bis, 12-II; not a year (arbeidsmarkt 2024) or an ordinal (3e).
_HOUSE = (rf"(?!(?:19|20)\d\d(?!\w))\d{{1,4}}(?:\s?[a-dA-D]|[{DASHES}]\d{{1,3}}|\s?(?:hs|bis|huis|bg|I{{1,3}}))?"
          r"(?!\w)")
_PARTICLE = "|".join(re.escape(p) for p in sorted(PARTICLES))
_CAP_WORD = rf"[{_UPPER}][\w'’-]*"


def _one_word_street(match: re.Match[str]) -> str:
    """Kerkstraat 12, Hoofdweg 5; not 'onderweg 3' or a word that is only the ending ('weg 2')."""
    street = match.group("street")
    if street.lower() in NOT_STREETS or len(street) - len(match.group("ending")) < 2:
        return match.group(0)
    return ADDRESS


def _after_cue(match: re.Match[str]) -> str:
    """'woon op Spui 70' -> 'woon op [address]'; a Capitalised street unless the cue says 'address'."""
    street = match.group("street")
    if not match.group("said") and not street[0].isupper():
        return match.group(0)
    return match.group(0)[: match.start("street") - match.start()] + ADDRESS


ADDRESS_RULES: tuple[Rule, ...] = (
    # Laan van Meerdervoort 1a, Plein van de Republiek 3
    (re.compile(rf"\b(?i:laan|plein|kade|singel|gracht|dijk|dreef|hof|steeg|park|straat)\s+"
                rf"(?:(?i:{_PARTICLE})\s+){{1,3}}{_WORD}(?:\s+{_WORD})?\s+{_HOUSE}"), ADDRESS),
    # Baker Street 12, Lange Laan 5
    (re.compile(rf"\b(?:{_CAP_WORD}\s+){{1,3}}(?i:{STREET_WORDS})\s+{_HOUSE}"), ADDRESS),
    # Kerkstraat 12, Hoofdweg 5, Jan-van-Galenstraat 3
    (re.compile(rf"\b(?P<street>[^\W\d_](?:[^\W\d_]|['’{DASHES}](?=[^\W\d_]))*?(?P<ending>{STREET_ENDINGS}))"
                rf"\s+{_HOUSE}", re.IGNORECASE), _one_word_street),
    # 12 Baker Street, 221B Baker St., 5 main street
    (re.compile(rf"\b\d{{1,5}}[A-Za-z]?,?\s+(?:(?:{_CAP_WORD}\s+){{1,3}}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Way|"
                r"Boulevard|Square|Place|Close|Court|Crescent|Terrace|Gardens)\b\.?|"
                r"[a-z][\w'’-]+\s+(?:street|road|avenue|lane|boulevard)\b)"), ADDRESS),
    # ik woon op Spui 70, I live at Lange Voorhout 34, mijn adres is Voorstraat 3
    (re.compile(rf"\b(?i:(?:woon|wonen|woont|woonachtig|verblijf|verblijven)\s+(?:op|aan)|"
                rf"(?:live|lives|living|stay|staying)\s+(?:at|on)|(?P<said>(?:address|adres)(?:\s+is|\s*:)))\s+"
                rf"(?:(?i:de|het|'t|the)\s+)?(?P<street>(?:{_WORD}\s+){{1,4}}?{_HOUSE})"), _after_cue),
)
