"""Keys of the bot's own texts that every language's messages.yaml must define (used by the engine)."""

from __future__ import annotations

#: Filled in by the conversation engine's needs; `faqbot check` reports any that are missing.
REQUIRED_MESSAGES: frozenset[str] = frozenset()
REQUIRED_COMMANDS: frozenset[str] = frozenset()
