"""Keys of the bot's own texts that every language's messages.yaml must define (used by the engine)."""

from __future__ import annotations

#: Every message the conversation engine (bot/engine) shows; `faqbot check` reports any that are missing.
REQUIRED_MESSAGES: frozenset[str] = frozenset({
    "acknowledged", "back", "check_button", "check_dont_know", "check_pick", "check_resume", "check_stop",
    "check_stopped", "clarify", "description", "empty", "error", "fallback", "fallback_human", "feedback_down",
    "feedback_up", "followup_missing", "group", "help", "language_choose", "language_hint", "language_set", "menu",
    "menu_button", "no", "non_text", "none_of_these", "nothing_to_stop", "other_language", "privacy", "safety",
    "short_description", "stale", "stale_check", "stale_check_ended", "unknown_command", "welcome",
    "welcome_bilingual", "yes",
})
#: The commands in Telegram's menu (bot.engine.engine.COMMANDS); each needs a description per language.
REQUIRED_COMMANDS: frozenset[str] = frozenset({"start", "menu", "help", "language", "contact", "privacy", "cancel"})
#: Intents the engine relies on: the contact answer (fallback to a person), the safety guidance, small talk.
REQUIRED_INTENTS: frozenset[str] = frozenset({"contact", "return_vulnerable", "greeting", "help", "human"})
