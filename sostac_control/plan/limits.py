"""The bounds of a plan file, checked on the text before any YAML reader sees it.

libyaml's composer recurses once per nesting level in C: 200 KB of `[[[…` crashes the process
(a segfault, which no `except` catches), and PyYAML's own composer raises RecursionError. An
alias bomb (`a: &a [x, x]`, `b: &b [*a, *a]`, …) is tiny text that expands into billions of
values. A number of 100,000 digits passes Python's int limit. So the text is measured first —
size, nesting of brackets and indentation, aliases, digits — and a plan beyond a bound is
refused with a line number, the bound, and what to change. A real plan is a few hundred lines
nested six levels deep; every bound is far above that.
"""

from __future__ import annotations

import re

PLAN_MAX_BYTES = 2_000_000  # a plan of 500 objectives with notes is ~200 KB
PLAN_MAX_DEPTH = 24  # levels of nesting (brackets plus indentation); a plan needs ~6
PLAN_MAX_ALIASES = 200  # `*name` references to anchors
PLAN_MAX_VALUES = 500_000  # values after aliases are expanded
PLAN_MAX_DIGITS = 30  # digits of one number; 10^30 is beyond any target

# A plain (unquoted) number of too many digits: after a key, item dash, bracket or comma.
_LONG_NUMBER = re.compile(
    r"(?:^|[\s\[{,:])[-+]?(?:\d[\d_]*)?\.?\d[\d_]{%d,}" % PLAN_MAX_DIGITS  # noqa: UP031
)
_ALIAS = re.compile(r"(?:^|[\s\[{,:])\*[^\s,\[\]{}]")


class PlanBoundError(Exception):
    """The plan text is beyond one of the bounds above; `line` is 1-based."""

    def __init__(self, message: str, line: int | None, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.hint = hint


def check_plan_bounds(text: str) -> None:
    """Raise PlanBoundError when the text is too large, too deep, or has too many aliases."""
    size = len(text.encode("utf-8", errors="replace"))
    if size > PLAN_MAX_BYTES:
        raise PlanBoundError(
            f"The plan file is {size:,} bytes; a plan may be at most {PLAN_MAX_BYTES:,} bytes.",
            None,
            "A plan states objectives, KPIs and budgets: move data (values, post lists) into "
            "exports loaded with `sostac-control ingest`, or split the plan.",
        )
    aliases = 0
    indents: list[int] = []  # indentation of the open block levels
    flow = 0  # open [ and { brackets
    for number, line in enumerate(text.split("\n"), start=1):
        code = _without_quotes_and_comment(line)
        if not code.strip():
            continue
        if flow == 0:
            indent = len(line) - len(line.lstrip(" -"))
            while indents and indents[-1] >= indent:
                indents.pop()
            indents.append(indent)
        for char in code if flow or "[" in code or "{" in code else ():
            if char in "[{":
                flow += 1
                if flow + len(indents) > PLAN_MAX_DEPTH:
                    raise _too_deep(number)
            elif char in "]}" and flow:
                flow -= 1
        if len(indents) + flow > PLAN_MAX_DEPTH:
            raise _too_deep(number)
        aliases += len(_ALIAS.findall(code))
        if aliases > PLAN_MAX_ALIASES:
            raise PlanBoundError(
                f"The plan uses more than {PLAN_MAX_ALIASES} aliases (*name).",
                number,
                "Write the values out instead of repeating anchors (&name / *name).",
            )
        if _LONG_NUMBER.search(code):
            raise PlanBoundError(
                f"A number on this line has more than {PLAN_MAX_DIGITS} digits.",
                number,
                f"Write targets and baselines with at most {PLAN_MAX_DIGITS} digits; put a "
                "long code in quotes.",
            )


def too_many_values(line: int | None) -> PlanBoundError:
    """The error for a plan whose aliases expand beyond PLAN_MAX_VALUES values."""
    return PlanBoundError(
        f"The plan's aliases expand to more than {PLAN_MAX_VALUES:,} values.",
        line,
        "An anchor (&name) that repeats other anchors multiplies them: write the values out.",
    )


def _too_deep(line: int) -> PlanBoundError:
    return PlanBoundError(
        f"The plan is nested more than {PLAN_MAX_DEPTH} levels deep here.",
        line,
        "A plan needs about six levels (objectives → KPIs → fields): remove the extra "
        "brackets or indentation. An anchor used inside itself (a: &x [*x]) nests forever.",
    )


def _without_quotes_and_comment(line: str) -> str:
    """The line with quoted text blanked and a trailing comment cut (an approximation of
    YAML's rules that never under-counts brackets outside quotes)."""
    if "'" not in line and '"' not in line and "#" not in line:
        return line
    out: list[str] = []
    quote = ""
    previous = " "
    for char in line:
        if quote:
            if char == quote:
                quote = ""
            out.append(" ")
        elif char in "'\"" and previous in " \t[{,:-":
            quote = char
            out.append(" ")
        elif char == "#" and previous in " \t":
            break
        else:
            out.append(char)
        previous = char
    return "".join(out)
