"""A small, valid content set as text, for tests that break it on purpose."""

from __future__ import annotations

from bot.content.model import CRISIS_KINDS
from bot.content.required import REQUIRED_COMMANDS, REQUIRED_INTENTS, REQUIRED_MESSAGES

WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]

INTENTS = """\
intents:
  - id: family_reunification
    group: family
    examples:
      nl: [mijn vrouw naar nederland halen, gezinshereniging reis, kinderen laten overkomen, nareis gezin,
           familie hereniging nederland, hoe haal ik mijn man hierheen, reis van mijn gezin regelen,
           mijn kinderen willen bij mij wonen, gezinsleden naar nederland, wie regelt de reis van mijn familie]
      en: [bring my wife to the netherlands, family reunification travel, my kids join me, reunite with family,
           how my husband come here, travel for my family members, family members to holland,
           who books the flight for my family, sponsor family travel, my children want to live with me]
    keywords:
      nl: [gezinshereniging]
      en: [reunification]
    related: [contact]
  - id: contact
    group: about
    examples:
      nl: [telefoonnummer iom, hoe kan ik iom bereiken, adres van iom, contact opnemen, email iom,
           waar zit het kantoor, iom bellen, website iom, contactgegevens, met iemand van iom praten]
      en: [iom phone number, how to reach iom, address of iom, contact iom, iom email,
           where is the office, call iom, iom website, contact details, talk to someone at iom]
"""

ANSWER = """\
answers:
  - intent: family_reunification
    title: {title}
    source: Hervestiging en gezinshereniging
    text: |
      IOM regelt de <b>reis</b> van gezinsleden.
  - intent: contact
    title: Contact
    source: Inleiding
    text: Kijk op <a href="https://www.iom-nederland.nl/">de website</a>.
"""


def extra_intents(skip: str = "") -> str:
    """Small-talk style intents the engine needs (names from REQUIRED_INTENTS), appended to the fixture."""
    lines = []
    for intent in sorted(REQUIRED_INTENTS - {"contact", skip}):
        lines += [f"  - id: {intent}", "    group: smalltalk", "    examples:"]
        for lang in ("nl", "en"):
            lines.append(f"      {lang}: [" + ", ".join(f"{intent} {lang} {w}" for w in WORDS) + "]")
    return "\n".join(lines) + "\n"


def extra_answers(lang: str) -> str:
    """Answers for the intents of extra_intents()."""
    return "".join(f"  - intent: {i}\n    title: {i}\n    source: none\n    text: {i} {lang}\n"
                   for i in sorted(REQUIRED_INTENTS - {"contact"}))


def language_file(lang: str) -> str:
    """A language.yaml plus every message, group label and command the engine needs."""
    lines = ["language:", f"  name: {lang}", "  stopwords: [de, het, the, a]", "  yes: [ja, yes]",
             "  no: [nee, no]", "messages:"]
    lines += [f"  {key}: text {key}" for key in sorted(REQUIRED_MESSAGES)] or ["  hello: hi"]
    lines += ["groups:", "  family: Family", "  about: About", "commands:"]
    lines += [f"  {key}: does {key}" for key in sorted(REQUIRED_COMMANDS)] or ["  start: start"]
    return "\n".join(lines) + "\n"


def crisis_file(lang: str) -> str:
    """Every crisis kind with one word and a reply, and the one referral they point to."""
    lines = ["referrals:", "  - id: emergency", "    source: outside", '    name: "112"',
             "    what: emergency number", '    phone: "112"', "crisis:"]
    for kind in CRISIS_KINDS:
        lines += [f"  - kind: {kind}", f"    words: [{kind}word{lang}]", f"    text: Call 112 ({kind} {lang})",
                  "    refer: [emergency]"]
    return "\n".join(lines) + "\n"


def valid_files() -> dict[str, str]:
    """Relative path -> text of a content set that passes `faqbot check --strict`."""
    return {
        "intents/main.yaml": INTENTS,
        "intents/more.yaml": "intents:\n" + extra_intents(),
        "answers/nl/main.yaml": ANSWER.format(title="Gezinshereniging"),
        "answers/en/main.yaml": ANSWER.format(title="Family reunification"),
        "answers/nl/more.yaml": "answers:\n" + extra_answers("nl"),
        "answers/en/more.yaml": "answers:\n" + extra_answers("en"),
        "answers/nl/language.yaml": language_file("nl"),
        "answers/en/language.yaml": language_file("en"),
        "answers/nl/referrals.yaml": crisis_file("nl"),
        "answers/en/referrals.yaml": crisis_file("en"),
    }
