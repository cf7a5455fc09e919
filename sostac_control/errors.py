"""The product's one error type: what happened, where, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One problem found in a user's input, located as precisely as the input allows."""

    message: str
    hint: str = ""
    file: str = ""
    line: int | None = None  # 1-based line (plan files) or data row (exports)
    column: str = ""  # a column name, or a plan field path like objectives[0].kpis[1].target

    @classmethod
    def at_row(cls, row: int, column: str, message: str, hint: str = "") -> Problem:
        """A rejected data row of an export (row 0: the file as a whole, e.g. cut short)."""
        return cls(message, hint, line=row, column=column)

    @property
    def row(self) -> int:
        """The data row (or plan line) it is about; 0 when it is about the whole input."""
        return self.line or 0

    def as_row(self) -> dict[str, object]:
        """The `ingest --json` shape (DESIGN.md): row, column, message; hint when there is one."""
        document: dict[str, object] = {"row": self.row, "column": self.column}
        document["message"] = self.message
        if self.hint:
            document["hint"] = self.hint
        return document

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass
class SostacError(Exception):
    """An error the user can act on: a message, a hint, and every problem found."""

    message: str
    hint: str = ""
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        text = self.message
        if self.hint:
            text += f"\nHint: {self.hint}"
        return text


class StoreUnusableError(SostacError):
    """The database file cannot be used now: held by another process, damaged, or unreadable.
    A run of several files stops loading (and says so for each file left)."""


class StoreLockedError(StoreUnusableError):
    """The database file is held by another process for longer than we are willing to wait."""


class UsageError(SostacError):
    """The user asked for something that cannot be done as asked (exit code 2 on the CLI)."""
