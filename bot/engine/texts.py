"""The bot's own texts in one language, read from the language pack with safe fallbacks."""

from __future__ import annotations

from bot.content.model import Answer, Content, LanguagePack


class Texts:
    """Messages, group labels and answers in ``lang`` (``faqbot check`` makes sure they all exist)."""

    def __init__(self, content: Content, lang: str) -> None:
        self.content = content
        self.lang = lang if lang in content.packs else next(iter(content.packs))
        self.pack: LanguagePack = content.packs[self.lang]

    def __call__(self, key: str, **values: str) -> str:
        """The message ``key`` with ``{placeholders}`` filled in (values must already be HTML-escaped)."""
        text = self.pack.messages.get(key)
        if text is None:  # only with content that skipped `faqbot check`
            text = next((p.messages[key] for p in self.content.packs.values() if key in p.messages), key)
        try:
            return text.format(**values) if values else text
        except (KeyError, IndexError, ValueError):
            return text

    def group(self, group: str) -> str:
        """The menu label of a topic group."""
        return self.pack.groups.get(group, group.replace("_", " ").capitalize())

    def answer(self, intent: str | None) -> Answer | None:
        """The answer to ``intent`` in this language (None for out of scope or unknown intents)."""
        if intent is None:
            return None
        known = self.content.intents.get(intent)
        if known is not None and known.is_out_of_scope:
            return None
        return self.content.answers.get((intent, self.lang))
