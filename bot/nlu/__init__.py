"""Understanding messages: normalisation, language detection and intent matching (pure, no I/O)."""

from bot.nlu.result import Candidate, Decision, Understanding
from bot.nlu.understander import Understander

__all__ = ["Candidate", "Decision", "Understander", "Understanding"]
