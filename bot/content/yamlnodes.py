"""Reading YAML as nodes that keep their line numbers, so every problem can name its line."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml

from bot.content.model import Location
from bot.content.problems import Problem, Severity
from bot.content.yamlsyntax import find_indentation, find_keyless_text

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what YAML counts as the end of a line

#: libyaml's parser when PyYAML was built with it (several times faster); line numbers are the same.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def first_anchor_or_alias(text: str) -> tuple[str, int] | None:
    """The first YAML anchor (&name) or alias (*name) in ``text`` as written, with its line; found from the tokens,
    before anything is built from the text.

    Aliases let a small file expand into billions of values ("billion laughs"); reading only the tokens costs no
    more than the file's size.
    """
    if "&" not in text and "*" not in text:
        return None
    try:
        for token in yaml.scan(text, Loader=_LOADER):
            if isinstance(token, yaml.AnchorToken | yaml.AliasToken):
                sign = "&" if isinstance(token, yaml.AnchorToken) else "*"
                return sign + token.value, token.start_mark.line + 1
    except yaml.MarkedYAMLError as exc:  # '*bold*', '& co': read as an alias or anchor with an invalid name
        mark = exc.context_mark
        if mark is None or exc.context not in ("while scanning an alias", "while scanning an anchor"):
            return None  # another syntax error: composing reports it
        lines = _LINE_BREAK.split(text)
        words = lines[mark.line][mark.column:].split() if mark.line < len(lines) else []
        return (words[0] if words else "*" if "alias" in exc.context else "&"), mark.line + 1
    except yaml.YAMLError:
        return None
    return None


@dataclass
class Reader:
    """Walks the YAML nodes of one file and collects problems as it goes."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    unreadable: bool = False  # the YAML itself could not be read, so nothing of this file was loaded

    def report(self, node: yaml.Node | int, message: str, fix: str, severity: Severity = "error",
               cause: bool = False) -> None:
        """Record a problem at a node (or a line number); ``cause``: the file could not be read (listed first)."""
        line = node if isinstance(node, int) else node.start_mark.line + 1
        self.problems.append(Problem(self.path, line, message, fix, severity, cause))

    def loc(self, node: yaml.Node) -> Location:
        """The location of a node."""
        return Location(self.path, node.start_mark.line + 1)

    def compose(self, text: str) -> yaml.Node | None:
        """Parse YAML text into a node tree; syntax errors, anchors and aliases, and empty files become problems."""
        found = first_anchor_or_alias(text)
        if found is not None:
            written, line = found
            self.unreadable = True
            self.report(line, f"'{written}' is a YAML {'alias' if written.startswith('*') else 'anchor'}; anchors (&) "
                              "and aliases (*) copy parts of a file and are not accepted",
                        "staff content never needs & or *; write the text out (to start a text with & or *, put "
                        "the whole text in quotes)", cause=True)
            return None
        try:
            node = yaml.compose(text, Loader=_LOADER)
        except yaml.MarkedYAMLError as exc:
            self.unreadable = True
            self._syntax_error(text, exc)
            return None
        except yaml.YAMLError as exc:  # pragma: no cover - other reader errors (bad bytes)
            self.unreadable = True
            self.report(1, f"the file cannot be read ({exc})", "save it as UTF-8 text", cause=True)
            return None
        if node is None or (isinstance(node, yaml.ScalarNode) and not node.value.strip()):
            self.report(1, "the file is empty", "add content or delete the file")
            return None
        return node

    def _syntax_error(self, text: str, exc: yaml.MarkedYAMLError) -> None:
        """Report a syntax error at its cause: the line whose indentation does not fit, when one does not."""
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        context = exc.context_mark.line + 1 if exc.context_mark is not None and exc.problem_mark else None
        keyless = find_keyless_text(text, line) if "mapping values" in (exc.problem or "") else None
        if keyless is not None:
            self.report(keyless, f"the YAML cannot be read: the text from this line to line {line} has no key in "
                                 "front of it", "write its key on the line above it (like 'welcome: |-') with the "
                                 f"text indented under it, or put the text of line {line} in quotes", cause=True)
            return
        found = find_indentation(text, line, context)
        if found is not None:
            self.report(found.line, f"the YAML cannot be read: this line is indented with {found.spaces} space(s), "
                                    "which does not fit the lines around it",
                        f"indent it with {found.better} space(s) like the lines it belongs with (spaces, not tabs)",
                        cause=True)
            return
        what = (exc.problem or exc.context or "unreadable YAML").strip()
        self.report(line, f"the YAML cannot be read ({what})",
                    "check the indentation (spaces, not tabs) and that every ':' and '-' is in place", cause=True)

    def mapping(self, node: yaml.Node, what: str, required: tuple[str, ...] = (),
                optional: tuple[str, ...] = ()) -> dict[str, yaml.Node] | None:
        """Read a mapping with known keys: report unknown (with a suggestion), duplicate and missing keys."""
        if not isinstance(node, yaml.MappingNode):
            self.report(node, f"{what} should be a list of 'key: value' lines",
                        f"write it as 'key: value' lines (expected keys: {', '.join(required + optional)})")
            return None
        known = required + optional
        result: dict[str, yaml.Node] = {}
        misspelt: set[str] = set()  # required keys written wrongly: reported once, at the misspelling
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in result:
                self.report(key_node, f"the key '{key}' appears twice in {what}", "keep only one of them")
                continue
            if known and key not in known:
                close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else f"allowed keys are: {', '.join(known)}"
                self.report(key_node, f"unknown key '{key}' in {what}", hint)
                misspelt.update(close)
                continue
            result[key] = value_node
        for key in required:
            if key not in result and key not in misspelt:
                self.report(node, f"{what} has no '{key}'", f"add a line '{key}: ...'")
        return result if all(k in result for k in required) else None

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        """Read a list; a single value is reported."""
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        if isinstance(node, yaml.ScalarNode) and node.value == "" and node.tag.endswith(":null"):
            return []
        self.report(node, f"{what} should be a list", "start each item on its own line with '- '")
        return []

    def text(self, node: yaml.Node, what: str, allow_empty: bool = False) -> str | None:
        """Read a text value."""
        if not isinstance(node, yaml.ScalarNode):
            self.report(node, f"{what} should be a text", "write a single text after the ':'")
            return None
        value = str(node.value).strip()
        if not value and not allow_empty:
            self.report(node, f"{what} is empty", "write the text after the ':'")
            return None
        return value

    def id(self, node: yaml.Node, what: str) -> str | None:
        """Read an id: lower-case letters, digits and '_', starting with a letter."""
        value = self.text(node, what)
        if value is not None and not ID_PATTERN.match(value):
            self.report(node, f"{what} '{value}' is not a valid id",
                        "use only lower-case letters, digits and '_', starting with a letter")
            return None
        return value

    def texts(self, node: yaml.Node, what: str) -> Iterator[tuple[str, yaml.Node]]:
        """Read a list of texts, yielding each with its node."""
        for item in self.sequence(node, what):
            value = self.text(item, f"an item of {what}")
            if value is not None:
                yield value, item

    def per_language(self, node: yaml.Node, what: str, languages: tuple[str, ...]) -> dict[str, yaml.Node]:
        """Read a mapping keyed by language code."""
        result = self.mapping(node, what, optional=languages)
        return result or {}
