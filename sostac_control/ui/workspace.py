"""Which plan file and which database the dashboard shows, from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sostac_control import store
from sostac_control.plan.model import DEFAULT_PLAN


@dataclass(frozen=True)
class Workspace:
    """Which plan file and which database the dashboard shows."""

    db: Path
    plan: Path


def workspace() -> Workspace:
    """The workspace from the environment (SOSTAC_DB, SOSTAC_PLAN) or the defaults."""
    return Workspace(
        db=Path(os.environ.get("SOSTAC_DB") or store.DEFAULT_DB),
        plan=Path(os.environ.get("SOSTAC_PLAN") or DEFAULT_PLAN),
    )


def shown_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it, else
    its folder and name (the sidebar is narrow; the full path is in the tooltip)."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return f"…/{path.parent.name}/{path.name}" if path.parent.name else str(path)
