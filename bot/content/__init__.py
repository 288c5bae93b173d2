"""Staff content: parsing YAML into frozen objects, and checking it."""

from bot.content.loader import check_content, load_content, parse_files
from bot.content.model import Answer, Content, Intent, LanguagePack
from bot.content.problems import ContentError, Problem

__all__ = ["Answer", "Content", "ContentError", "Intent", "LanguagePack", "Problem", "check_content",
           "load_content", "parse_files"]
