"""Mermaid flowcharts of the guided checks, drawn from the YAML (docs/conversations.md shows them)."""

from __future__ import annotations

from bot.content.model import Content, GuidedCheck
from bot.engine.checks import check_texts, option_label
from bot.engine.texts import Texts
from bot.html import plain_text

MAX_QUESTION = 100
MAX_OUTCOME = 70


def _label(text: str, limit: int = MAX_QUESTION) -> str:
    flat = " ".join(plain_text(text).split())
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return flat.replace('"', "#quot;")


def mermaid(content: Content, check: GuidedCheck, lang: str) -> str:
    """A Mermaid flowchart of ``check`` with its questions, answers and outcomes in ``lang``."""
    texts = Texts(content, lang)
    ctexts = check_texts(content, check, lang)
    title = ctexts.title if ctexts else check.id
    lines = ["flowchart TD", f'  start(["{_label(title)}"]) --> s_{check.start}']
    for step in check.steps.values():
        question = ctexts.questions.get(step.id, step.id) if ctexts else step.id
        lines.append(f'  s_{step.id}{{"{_label(question)}"}}')
    for step in check.steps.values():
        for option in step.options:
            target = f"s_{option.next_step}" if option.next_step else f"o_{option.outcome}"
            lines.append(f'  s_{step.id} -->|"{_label(option_label(texts, ctexts, option.key))}"| {target}')
    for outcome in check.outcomes:
        text = ctexts.outcomes.get(outcome, outcome) if ctexts else outcome
        lines.append(f'  o_{outcome}[["{outcome}: {_label(text, MAX_OUTCOME)}"]]')
    return "\n".join(lines)


def markdown(content: Content, lang: str) -> str:
    """Every guided check as a Markdown section with its Mermaid diagram (for docs/conversations.md)."""
    sections = []
    for check in content.checks.values():
        ctexts = check_texts(content, check, lang)
        title = ctexts.title if ctexts else check.id
        sections.append(f"### `{check.id}`: {title} (intent `{check.intent}`)\n\n"
                        f"```mermaid\n{mermaid(content, check, lang)}\n```\n")
    return "\n".join(sections)
