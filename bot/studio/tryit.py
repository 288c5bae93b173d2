"""Try it: what the bot does with one typed message, for any content (also edited content not yet saved)."""

from __future__ import annotations

from typing import Any

from bot.engine import Engine, TextIn
from bot.nlu import Understander


def try_message(engine: Engine, text: str, lang: str | None = None) -> dict[str, Any]:
    """The decision, language, candidates and reply for ``text`` as a first message (``lang``: the app language,
    None to let the bot detect it)."""
    nlu = engine.nlu
    assert isinstance(nlu, Understander)
    content = engine.content
    understood = nlu.understand(text, lang)
    reply_lang = lang or (understood.lang if understood.lang in content.languages else nlu.detect_language(text)[0])
    _, replies = engine.handle(None, TextIn(text), reply_lang)
    trace = next((r.trace for r in replies if r.trace is not None), None)

    def title(intent: str) -> str:
        answer = content.answers.get((intent, reply_lang))
        return answer.title if answer is not None else intent

    return {
        "lang": understood.lang,
        "decision": understood.decision,
        "intent": understood.intent,
        "intent_title": title(understood.intent) if understood.intent else None,
        "score": round(understood.score, 3),
        "confidence": round(understood.confidence, 3),
        "topic": understood.topic,
        "bot_decision": trace.decision if trace else None,
        "candidates": [{"intent": c.intent, "title": title(c.intent), "score": round(c.score, 3)}
                       for c in understood.candidates[:5]],
        "replies": [{"text": r.text, "buttons": [[{"label": b.label, "url": b.url} for b in row] for row in r.buttons]}
                    for r in replies],
    }
