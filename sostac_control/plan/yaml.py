"""Plan YAML → plain values that remember their lines, fast for the plain YAML plans are made of.

`read_yaml(text)` returns the document as `YamlMap` (a dict), `YamlList` (a list) and plain
scalars (str, int, float, bool, None, date), where every mapping knows the line of each key and
every list the line of each item, so a problem can name its line.

PyYAML, even with libyaml, composes about 1 MB of plan per second, too slow for "a few MB well
under a second". Plans are block YAML: `key: value` lines, `- ` items, comments, quoted text,
one-line `[a, b]` lists. A line reader handles exactly that, and hands anything else (anchors,
tags, multi-line text, flow mappings, odd indentation, syntax errors) to PyYAML's safe composer,
so the result is always what a YAML reader would make of the file. Nothing is ever constructed
from a tag: a value with a tag other than YAML's plain ones becomes `UnsafeTag`, which the
plan checks report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from sostac_control.i18n import _
from sostac_control.plan.limits import (
    PLAN_MAX_DEPTH,
    PLAN_MAX_VALUES,
    PlanBoundError,
    check_plan_bounds,
    too_many_values,
)

SAFE_TAGS = frozenset(
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge", "value")
)


class YamlMap(dict[str, Any]):
    """A mapping with the 1-based line of itself, of each key, and of repeated keys."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}
        self.duplicates: list[tuple[str, int]] = []


class YamlList(list[Any]):
    """A sequence with the 1-based line of itself and of each item."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


@dataclass(frozen=True)
class UnsafeTag:
    """A value carrying a YAML tag (like !!python/object) that a plan never constructs."""

    tag: str


class YamlSyntaxError(Exception):
    """The text is not YAML; `line` is 1-based (None when unknown)."""

    def __init__(self, message: str, line: int | None, context: str = "", hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.context = context
        self.hint = hint  # set when the text is beyond a bound (plan/limits.py)


def read_yaml(text: str) -> Any:
    """The document's values with their lines; YamlSyntaxError when it is not YAML."""
    text = text.removeprefix("\ufeff")
    try:
        check_plan_bounds(text)  # before any composer: libyaml crashes on deep nesting
        try:
            return _LineReader(text).read()
        except _Unsupported:
            return _read_with_pyyaml(text)
    except PlanBoundError as exc:
        raise YamlSyntaxError(exc.message, exc.line, hint=exc.hint) from None


# -- the fast line reader ------------------------------------------------------------------------


class _Unsupported(Exception):
    """Internal: the text uses YAML the line reader leaves to PyYAML."""


# Characters that make YAML other than the plain block style the line reader handles.
_ODD_TEXT = re.compile(
    r"[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029\ufeff]|\r(?!\n)|^(\.\.\.|%)", re.M
)
_INDICATORS = frozenset("{|>&*!%@`?:,")
_PLAIN_FIRST = frozenset("yYnNtTfFoO-+0123456789.~<=")  # may resolve to a non-string
_NOT_PLAIN_FIRST = _INDICATORS | frozenset("#\"'[]-")  # quoted, flow, comment, or '- '…
_FLOW_ITEM = re.compile(
    r"""\s*(?:"([^"\\\n]*)"|'((?:[^'\n]|'')*)'|([^\s,\[\]{}#"'&*!|>%@`?][^,\[\]{}#]*?))\s*([,\]])"""
)


class _LineReader:
    def __init__(self, text: str) -> None:
        if _ODD_TEXT.search(text):
            raise _Unsupported
        self.lines = text.replace("\r\n", "\n").split("\n")
        self.loader = yaml.SafeLoader("")
        self.resolved: dict[str, Any] = {}

    def read(self) -> Any:
        root: Any = None
        # Open containers, innermost last: (indent of its entries, container, is_list). The top
        # one is also kept in locals: this loop runs once per line of a file of megabytes.
        stack: list[tuple[int, Any, bool]] = []
        top_indent, top_is_list = -1, False
        top: Any = None
        pending: tuple[Any, Any, int] | None = None  # (container, key or index, parent indent)
        seen_document = False
        entry, scalar, plain = self.entry, self.scalar, self.plain
        for number, line in enumerate(self.lines, start=1):
            content = line.lstrip(" ")
            if not content or content[0] == "#":
                continue
            indent = len(line) - len(content)
            is_item = content[:2] == "- " or content == "-"
            if pending is None and indent == top_indent and is_item is top_is_list:
                if not is_item:  # `key: value` in the current mapping: most lines of a plan
                    colon = content.find(": ")
                    rest = content[colon + 2 :].lstrip(" ") if colon > 0 else ""
                    if rest and rest[0] not in _NOT_PLAIN_FIRST:
                        key = content[:colon]
                        comment = rest.find(" #")
                        if comment >= 0:
                            rest = rest[:comment]
                        rest = rest.rstrip(" ")
                        plain_value = ": " not in rest and rest[-1] != ":"
                        if plain_value and key.isidentifier() and key not in top:
                            top[key] = rest if rest[0] not in _PLAIN_FIRST else plain(rest)
                            top.key_lines[key] = number
                            continue
                    pending = entry(top, content, number, indent)
                    continue
            else:
                if content[:3] == "---" and indent == 0 and content[3:4] in ("", " "):
                    if (
                        seen_document
                        or root is not None
                        or content[3:].strip(" ")[:1]
                        not in (
                            "",
                            "#",
                        )
                    ):
                        raise _Unsupported
                    seen_document = True
                    continue
                if pending is not None:
                    parent, slot, parent_indent = pending
                    pending = None
                    if indent > parent_indent or (
                        is_item and indent == parent_indent and isinstance(parent, YamlMap)
                    ):
                        block: Any = YamlList(number) if is_item else YamlMap(number)
                        parent[slot] = block
                        stack.append((indent, block, is_item))
                if not stack:
                    if root is not None:
                        raise _Unsupported
                    root = YamlList(number) if is_item else YamlMap(number)
                    stack.append((indent, root, is_item))
                while stack and (
                    stack[-1][0] > indent
                    or (stack[-1][0] == indent and stack[-1][2] and not is_item)
                ):
                    stack.pop()
                if not stack or stack[-1][0] != indent:
                    raise _Unsupported  # a continuation line, or indentation PyYAML must judge
                top_indent, top, top_is_list = stack[-1]
                if not is_item:
                    if top_is_list:
                        raise _Unsupported
                    pending = entry(top, content, number, indent)
                    continue
            if not top_is_list:
                raise _Unsupported
            rest = content[1:].lstrip(" ")
            top.item_lines.append(number)
            if not rest or rest[0] == "#":
                top.append(None)
                pending = (top, len(top) - 1, indent)
            elif self.is_key_line(rest):
                item = YamlMap(number)
                top.append(item)
                item_indent = indent + len(content) - len(rest)
                stack.append((item_indent, item, False))
                top_indent, top, top_is_list = item_indent, item, False
                pending = entry(item, rest, number, item_indent)
            elif rest == "-" or rest[:2] == "- ":
                raise _Unsupported
            else:
                top.append(scalar(rest))
        if root is None:
            raise _Unsupported  # empty, or only comments: PyYAML says what it is
        return root

    @staticmethod
    def is_key_line(content: str) -> bool:
        colon = content.find(": ")
        if colon < 0:
            if not content.endswith(":"):
                return False
            colon = len(content) - 1
        return content[:colon].isidentifier()

    def entry(
        self, container: YamlMap, content: str, number: int, indent: int
    ) -> tuple[Any, Any, int] | None:
        """Reads `key: value` into the mapping; returns the pending slot for `key:` alone."""
        colon = content.find(": ")
        if colon < 0:
            if not content.endswith(":"):
                raise _Unsupported
            colon = len(content) - 1
        key = content[:colon]
        if not key.isidentifier():
            raise _Unsupported
        if key in container:
            container.duplicates.append((key, number))
        else:
            container.key_lines[key] = number
        rest = content[colon + 1 :].lstrip(" ")
        if not rest or rest[0] == "#":
            container[key] = None
            return (container, key, indent)
        container[key] = self.scalar(rest)
        return None

    def scalar(self, text: str) -> Any:
        first = text[0]
        if first == '"':
            end = text.find('"', 1)
            if end < 0 or "\\" in text[:end]:
                raise _Unsupported
            self.after_value(text[end + 1 :])
            return text[1:end]
        if first == "'":
            match = re.match(r"'((?:[^']|'')*)'", text)
            if not match:
                raise _Unsupported
            self.after_value(text[match.end() :])
            return match.group(1).replace("''", "'")
        if first == "[":
            return self.flow_list(text)
        if first in _INDICATORS or text == "-" or text.startswith("- "):
            raise _Unsupported
        comment = text.find(" #")
        if comment >= 0:
            text = text[:comment]
        text = text.rstrip(" ")
        if ": " in text or text.endswith(":"):
            raise _Unsupported
        return self.plain(text)

    @staticmethod
    def after_value(rest: str) -> None:
        if rest and not (rest[0] == " " and rest.lstrip(" ")[:1] in ("", "#")):
            raise _Unsupported

    def flow_list(self, text: str) -> list[Any]:
        items: list[Any] = []
        if re.match(r"\[\s*\]", text):
            self.after_value(text[text.index("]") + 1 :])
            return items
        position = 1
        while True:
            match = _FLOW_ITEM.match(text, position)
            if not match:
                raise _Unsupported
            double, single, plain, stop = match.groups()
            if plain is not None:
                if ": " in plain:
                    raise _Unsupported
                items.append(self.plain(plain))
            else:
                items.append(double if double is not None else single.replace("''", "'"))
            position = match.end()
            if stop == "]":
                self.after_value(text[position:])
                return items

    def plain(self, text: str) -> Any:
        if text[0] not in _PLAIN_FIRST:
            return text
        if text in self.resolved:
            return self.resolved[text]
        value: Any = text
        if text.isdigit() and (text[0] != "0" or text == "0"):
            value = int(text)
        elif len(text) == 10 and text[4] == "-" and text[7] == "-":
            try:
                value = date.fromisoformat(text)
            except ValueError:
                value = text  # looks like a date, is not one: the checks say so
        else:
            tag = self.loader.resolve(ScalarNode, text, (True, False))
            try:
                value = self.loader.construct_object(ScalarNode(tag, text))
            except (ValueError, yaml.YAMLError):
                value = text
        self.resolved[text] = value
        return value


# -- PyYAML for everything else ------------------------------------------------------------------


def _read_with_pyyaml(text: str) -> Any:
    loader = yaml.CSafeLoader(text) if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        return None if root is None else _from_node(root, loader, _Budget())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        column = " " + _("at column {column}").format(column=mark.column + 1) if mark else ""
        raise YamlSyntaxError(
            (exc.problem or _("cannot be read")) + column,
            mark.line + 1 if mark else None,
            exc.context or "",
        ) from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(str(exc), None) from exc
    except RecursionError:  # merge keys (<<: *x) that merge themselves
        raise PlanBoundError(
            _("The plan is nested more than {depth} levels deep.").format(depth=PLAN_MAX_DEPTH),
            None,
            _("An anchor used inside itself nests forever: write the values out."),
        ) from None
    finally:
        loader.dispose()


class _Budget:
    """Values left to build: aliases share nodes, so a small text can expand without end."""

    def __init__(self) -> None:
        self.values_left = PLAN_MAX_VALUES


def _from_node(node: Node, loader: Any, budget: _Budget, depth: int = 0) -> Any:
    if node.tag not in SAFE_TAGS:
        return UnsafeTag(node.tag)
    line = node.start_mark.line + 1
    budget.values_left -= 1
    if budget.values_left < 0:
        raise too_many_values(line)
    if depth > PLAN_MAX_DEPTH:  # an alias inside its own anchor: `a: &x [*x]`
        raise PlanBoundError(
            _("The plan is nested more than {depth} levels deep here.").format(
                depth=PLAN_MAX_DEPTH
            ),
            line,
            _("An anchor used inside itself (a: &x [*x]) nests forever: write the values out."),
        )
    if isinstance(node, MappingNode):
        loader.flatten_mapping(node)  # resolves '<<: *anchor' merges
        mapping = YamlMap(line)
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, ScalarNode) else "?"
            if key in mapping:
                mapping.duplicates.append((key, key_node.start_mark.line + 1))
            else:
                mapping.key_lines[key] = key_node.start_mark.line + 1
            mapping[key] = _from_node(value_node, loader, budget, depth + 1)
        return mapping
    if isinstance(node, SequenceNode):
        items = YamlList(line)
        for item in node.value:
            items.append(_from_node(item, loader, budget, depth + 1))
            items.item_lines.append(item.start_mark.line + 1)
        return items
    try:
        return loader.construct_object(node)
    except (ValueError, yaml.YAMLError):
        return node.value  # e.g. 2026-13-01 looks like a date but is not one
