"""`faqbot review --export`: grouped unanswered questions as a YAML snippet in the intents format.

Grouped by closest intent, then language; a comment above each list says where to paste it
(``intents/<file>.yaml -> <intent> -> examples -> <lang>``). The texts are the masked ones from the log.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

import yaml

from bot.staff.grouping import Group, ThumbsDown

NO_INTENT = "new_intent"
MAX_VARIANTS = 10  # texts per group in the export


def scalar(text: str) -> str:
    """``text`` on one line as a YAML scalar: plain when that is safe, quoted otherwise."""
    dumped: str = yaml.safe_dump([" ".join(text.split())], allow_unicode=True, width=1_000_000)
    return dumped.removeprefix("- ").rstrip("\n")


def _decisions(group: Group) -> str:
    labels = {"none": "not understood", "clarify": "did you mean"}
    return ", ".join(f"{labels.get(d, d)} {n}" for d, n in group.decisions)


def export_yaml(groups: Sequence[Group], files: Mapping[str, str], period: str,
                thumbs: Sequence[ThumbsDown] = ()) -> str:
    """The snippet: ``files`` maps intent ids to their file (intents/return.yaml); ``period`` names the days."""
    by_intent: dict[str, dict[str, list[Group]]] = defaultdict(lambda: defaultdict(list))
    for group in groups:
        by_intent[group.intent or NO_INTENT][group.lang].append(group)
    order = sorted(by_intent, key=lambda i: (i == NO_INTENT, -sum(g.count for gs in by_intent[i].values()
                                                                  for g in gs), i))
    lines = [
        f"# Questions the bot did not answer well, {period} (faqbot review --export).",
        "# Personal data was masked ([email], [phone], [date], [name], [address], ...), but a name nobody",
        "# introduced ('Ahmed said ...') is NOT: check each line before you copy it, remove anything personal,",
        "# and delete lines that do not fit the intent.",
        "# Copy the lines you keep under the file, intent and language named in the comment above them,",
        "# then run `faqbot check` and `faqbot eval`.",
    ]
    if not groups:
        lines.append("intents: []  # nothing to review")
    else:
        lines.append("intents:")
    for intent in order:
        lines += [f"  - id: {intent}", "    examples:"]
        for lang in sorted(by_intent[intent]):
            if intent == NO_INTENT:
                lines.append(f"      # no close intent: add these to the intent they belong to, make a new intent, "
                             f"or add off-topic ones under intents/out_of_scope.yaml -> out_of_scope -> examples "
                             f"-> {lang}")
            else:
                where = files.get(intent, "intents/<file>.yaml")
                lines.append(f"      # add these under {where} -> {intent} -> examples -> {lang}")
            lines.append(f"      {lang}:")
            for group in by_intent[intent][lang]:
                lines.append(f"        # asked {group.count} time(s): {_decisions(group)}")
                lines += [f"        - {scalar(text)}" for text in group.texts[:MAX_VARIANTS]]
    if thumbs:
        lines += ["", "# Answers marked 👎 (not helpful): read them again in answers/<lang>/ and improve them."]
        lines += [f"#   {t.intent} ({t.lang}): {t.count} time(s)" for t in thumbs]
    return "\n".join(lines) + "\n"
