"""`faqbot sandbox`: a local web chat that looks like Telegram, with a staff panel (docs/sandbox.md).

The page talks to the real Telegram adapter through the Bot API emulator, so what staff see is what
Telegram users get.
"""

from bot.sandbox.bridge import LANGUAGES, Bridge
from bot.sandbox.sandbox import DEFAULT_PORT, Bound, PortTaken, Sandbox, bind, is_loopback, page_url

__all__ = ["DEFAULT_PORT", "LANGUAGES", "Bound", "Bridge", "PortTaken", "Sandbox", "bind", "is_loopback",
           "page_url"]
