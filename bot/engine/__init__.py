"""The conversation engine: pure, channel-independent; channels translate events in and replies out."""

from bot.engine.engine import COMMANDS, Engine
from bot.engine.events import CommandIn, Event, NonTextIn, PressIn, TextIn, from_text
from bot.engine.replies import Button, Reply, Trace
from bot.engine.state import ChatState

__all__ = ["COMMANDS", "Button", "ChatState", "CommandIn", "Engine", "Event", "NonTextIn", "PressIn", "Reply",
           "TextIn", "Trace", "from_text"]
